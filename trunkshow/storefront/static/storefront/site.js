// Small progressive enhancements; every page works without this file.

// The region form applies as soon as a choice changes; the Apply button
// stays for keyboards and for browsers without modules.
for (const form of document.querySelectorAll("form[data-autosubmit]")) {
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
}
