// The livestream on the campaign page: the player (native HLS where the browser has
// it, else the site's own copy of hls.js), and the pinned-product card, which follows
// the stream's Server-Sent Events so a pin appears without reloading the page.
// In a replay the card follows the recording: each product shows from the second it
// was pinned (the timeline's offsets from the stream's actual start).

const money = (price, locale) => {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: price.currency }).format(Number(price.amount));
  } catch {
    return `${price.amount} ${price.currency}`;
  }
};

const play = async (video, source, hlsScript) => {
  if (!source) return;
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = source;
    return;
  }
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = hlsScript;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  }).catch(() => undefined);
  if (window.Hls && window.Hls.isSupported()) {
    // No blob worker: the site's CSP allows scripts from itself only.
    const hls = new window.Hls({ enableWorker: false });
    hls.loadSource(source);
    hls.attachMedia(video);
  } else {
    video.src = source; // let the browser try
  }
};

for (const box of document.querySelectorAll("[data-stream]")) {
  const video = box.querySelector("video");
  const list = box.querySelector("[data-pins]");
  const template = box.querySelector("template");
  const locale = box.dataset.locale;
  const cards = new Map();
  play(video, box.dataset.hls, box.dataset.hlsjs);

  const show = (sku, product) => {
    if (cards.has(sku) || !product) return;
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.sku = sku;
    card.querySelector("[data-title]").textContent = product.title;
    card.querySelector("[data-price]").textContent = money(product.price, locale);
    const link = card.querySelector("[data-link]");
    link.href = product.product_url;
    const image = card.querySelector("img");
    if (product.image_url) image.src = product.image_url; else image.remove();
    card.querySelector("input[name=sku]").value = sku;
    list.append(card);
    cards.set(sku, card);
  };
  const hide = (sku) => {
    const card = cards.get(sku);
    if (card) card.remove();
    cards.delete(sku);
  };

  if (box.dataset.status === "ended") {
    // The replay: the card follows the recording's clock.
    const timeline = JSON.parse(document.getElementById(box.dataset.timeline).textContent);
    const products = JSON.parse(document.getElementById(box.dataset.products).textContent);
    video.addEventListener("timeupdate", () => {
      const t = video.currentTime;
      for (const pin of timeline) {
        const on = t >= pin.from_s && (pin.to_s === null || t < pin.to_s);
        if (on) show(pin.sku, products[pin.sku]); else hide(pin.sku);
      }
    });
    continue;
  }
  const events = new EventSource(box.dataset.events);
  events.addEventListener("pin", (e) => {
    const data = JSON.parse(e.data);
    show(data.sku, data.product);
  });
  events.addEventListener("unpin", (e) => hide(JSON.parse(e.data).sku));
  events.addEventListener("status", (e) => {
    box.dataset.status = JSON.parse(e.data).status;
  });
}
