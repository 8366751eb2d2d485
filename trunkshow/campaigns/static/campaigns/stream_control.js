// The staff control page: the number of viewers following the stream, kept fresh.
// Each web process reports its viewers every few seconds; this asks for the sum.

const REFRESH_MS = 5000;

for (const counter of document.querySelectorAll("[data-viewers]")) {
  const refresh = async () => {
    try {
      const response = await fetch(counter.dataset.viewers, { credentials: "same-origin" });
      if (response.ok) counter.textContent = String((await response.json()).viewers);
    } catch {
      // offline for a moment: keep the last figure, try again at the next tick
    }
  };
  setInterval(refresh, REFRESH_MS);
}
