// What only the browser sees (a question on screen, an answer tapped, the video
// watched, a pick clicked) sent to the site's own /analytics/events/: same
// origin, with the page's CSRF token, a few events per request. The server
// adds the visitor, market and language; nothing here names the shopper.
// Failing quietly is the point: the page never waits for or breaks on it.

const root = document.querySelector("[data-analytics-quiz]");
if (root) {
  const context = {
    quiz: root.dataset.analyticsQuiz,
    quiz_version: Number(root.dataset.analyticsVersion) || undefined,
    variant: root.dataset.analyticsVariant || undefined,
  };
  const profile = root.dataset.analyticsProfile || undefined;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]")?.value
    || (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const queue = [];
  let timer = null;
  const sent = new Set();

  function flush() {
    clearTimeout(timer);
    timer = null;
    while (queue.length) {
      const events = queue.splice(0, 20);
      fetch("/analytics/events/", {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ events }),
      }).catch(() => {});
    }
  }

  // Questions are sent in batches; the video's marks and a pick's click at
  // once, so they reach the server before the next page's add to bag does.
  function track(kind, fields, once = "", now = false) {
    if (once) {
      if (sent.has(once)) return;
      sent.add(once);
    }
    queue.push({ kind, ...context, ...fields });
    if (now || queue.length >= 10) flush();
    else if (!timer) timer = setTimeout(flush, 1500);
  }

  addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });

  // The quiz: a question counts as shown when it is the one on screen.
  const steps = [...root.querySelectorAll("fieldset[data-question]:not([data-question=\"\"])")];
  const shown = () => {
    if (!root.classList.contains("is-stepped")) return; // no script steps: one long form
    steps.forEach((step, i) => {
      if (!step.hidden && step.classList.contains("is-current")) {
        track("question_shown", { question: step.dataset.question, position: i + 1 },
          `shown:${step.dataset.question}`);
      }
    });
  };
  if (steps.length) {
    new MutationObserver(shown).observe(root, { subtree: true, attributes: true, attributeFilter: ["class", "hidden"] });
    shown();
    root.addEventListener("change", (event) => {
      const input = event.target;
      const step = input.closest?.("fieldset[data-question]");
      if (!steps.includes(step)) return;
      if (!step || input.type !== "radio") return;
      track("question_answered", {
        question: step.dataset.question, position: steps.indexOf(step) + 1, answer: input.value,
      }, `answered:${step.dataset.question}:${input.value}`);
    });
  }

  // The result: the video's start and quarters, and the picks clicked.
  const video = document.querySelector("[data-video] video");
  if (video) {
    video.addEventListener("play", () => track("video_started", { profile }, "video:0", true));
    const reached = (percent) => track("video_progress", { profile, progress: percent }, `video:${percent}`, true);
    video.addEventListener("timeupdate", () => {
      if (!video.duration || !Number.isFinite(video.duration)) return;
      const share = (video.currentTime / video.duration) * 100;
      for (const mark of [25, 50, 75]) if (share >= mark) reached(mark);
      if (share >= 99) reached(100);
    });
    video.addEventListener("ended", () => { for (const mark of [25, 50, 75, 100]) reached(mark); });
  }
  document.addEventListener("click", (event) => {
    const pick = event.target.closest?.("[data-pick-sku]");
    if (pick) track("result_product_clicked", { profile, ref: pick.dataset.pickSku }, `pick:${pick.dataset.pickSku}`, true);
  });
}
