// The countdown ticks in the browser from the seconds the server counted:
// the phone's own clock is never read, so a wrong clock cannot open anything
// early. At zero the page asks the server again (after a short random pause,
// so a crowd waiting on one page does not arrive in the same millisecond).

const pad = (n) => String(n).padStart(2, "0");

for (const clock of document.querySelectorAll("[data-countdown]")) {
  const total = Number(clock.dataset.seconds);
  if (!Number.isFinite(total)) continue;
  const started = performance.now();
  const parts = {};
  for (const unit of ["d", "h", "m", "s"]) parts[unit] = clock.querySelector(`[data-unit="${unit}"]`);

  const show = (left) => {
    const days = Math.floor(left / 86400);
    const hours = Math.floor(left / 3600) % 24;
    const minutes = Math.floor(left / 60) % 60;
    const seconds = left % 60;
    if (parts.d) parts.d.textContent = String(days);
    if (parts.h) parts.h.textContent = pad(hours);
    if (parts.m) parts.m.textContent = pad(minutes);
    if (parts.s) parts.s.textContent = pad(seconds);
    clock.dataset.left = String(left);
  };

  const tick = () => {
    const elapsed = (performance.now() - started) / 1000;
    const left = Math.max(0, Math.ceil(total - elapsed));
    show(left);
    if (left === 0) {
      if (total > 0) setTimeout(() => location.reload(), 300 + Math.random() * 1200);
      return;
    }
    // Wake just after the next whole second of the server's count.
    const untilNext = ((total - elapsed) % 1) * 1000;
    setTimeout(tick, Math.max(50, untilNext + 20));
  };
  tick();
}

// A shopper waiting in a drop's queue: ask the server again when it says their turn
// comes (it admits one ticket after another, in arrival order, so asking on time
// keeps the purchase order the arrival order; never more often than every 0.2 s,
// never less than every 3 s), and show the page again once it has come. When the
// drop sells out meanwhile, say so at once and stop asking.
for (const place of document.querySelectorAll("[data-ticket-poll]")) {
  const poll = async () => {
    let wait = 3000;
    try {
      const response = await fetch(place.dataset.ticketPoll, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        if (state.sold_out) {
          place.textContent = place.dataset.soldOut;
          const drop = place.closest("[data-drop-status]");
          if (drop) drop.dataset.dropStatus = "sold_out";
          return;
        }
        if (state.admitted) {
          location.reload();
          return;
        }
        if (Number.isFinite(state.estimated_wait_ms)) wait = state.estimated_wait_ms;
      }
    } catch (error) {
      // A network hiccup: keep the place, try again.
    }
    setTimeout(poll, Math.min(3000, Math.max(200, wait)));
  };
  setTimeout(poll, Math.min(3000, Math.max(200, Number(place.dataset.waitMs) || 3000)));
}

// Every open campaign page follows its drops' stock and status without reloading: it
// asks the campaign's stock answer (one shared answer per campaign and market, cached
// for 2 s by the server) every few seconds, with a random offset so that thousands of
// pages do not ask in the same instant. Sold out is said at once, the queue and "add"
// buttons go, and the page offers the next drop and the studio instead.
for (const list of document.querySelectorAll("[data-stock-url]")) {
  const follow = async () => {
    try {
      const response = await fetch(list.dataset.stockUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const stock = await response.json();
        for (const drop of stock.drops || []) {
          const card = list.querySelector(`[data-drop="${drop.id}"]`);
          if (!card) continue;
          for (const item of drop.items || []) {
            const left = card.querySelector(`[data-available="${CSS.escape(item.sku)}"]`);
            if (left) left.textContent = left.textContent.replace(/\d+/, String(item.available));
          }
          if (drop.status === "sold_out" && card.dataset.dropStatus !== "sold_out") {
            card.dataset.dropStatus = "sold_out";
            const when = card.querySelector("[data-drop-when]");
            if (when) when.textContent = list.dataset.soldOutText;
            for (const gone of card.querySelectorAll(".drop-queue, .drop-add")) gone.remove();
            const place = card.querySelector("[data-ticket-poll]");
            if (place) place.textContent = list.dataset.soldOutText;
            const instead = card.querySelector(".drop-instead");
            if (instead) instead.hidden = false;
          }
        }
      }
    } catch (error) {
      // A network hiccup: ask again next time.
    }
    setTimeout(follow, 4000 + Math.random() * 2000);
  };
  setTimeout(follow, 2000 + Math.random() * 3000);
}
