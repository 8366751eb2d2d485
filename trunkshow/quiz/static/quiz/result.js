// Share a result: the phone's share sheet where there is one, else copy the link.
for (const button of document.querySelectorAll("[data-share]")) {
  button.addEventListener("click", async () => {
    const url = button.dataset.share;
    try {
      if (navigator.share) {
        await navigator.share({ url, title: document.title });
        return;
      }
      await navigator.clipboard.writeText(url);
      button.textContent = button.dataset.copied;
    } catch {
      window.prompt("", url);
    }
  });
}
