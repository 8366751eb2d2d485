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

// The personal video. Where the browser plays HLS itself (iOS, Safari) it
// starts at once: the playlist opens on the shared intro while the card for
// this shopper is still being drawn. Elsewhere the MP4 plays when ready;
// until then the page asks the API, gently.
const section = document.querySelector("[data-video]");
if (section) {
  const video = section.querySelector("video");
  const status = section.querySelector("[data-video-status]");
  const download = section.querySelector("[data-download]");
  const shareVideo = section.querySelector("[data-share-video]");
  // Phones share the file itself (to a chat, to the camera roll) where the
  // browser can; elsewhere the download link is the way to keep it.
  const canShareFiles = () => {
    try {
      return !!(navigator.canShare && navigator.canShare({ files: [new File([""], "m.mp4", { type: "video/mp4" })] }));
    } catch {
      return false;
    }
  };
  const offerShare = (url) => {
    if (!shareVideo || !canShareFiles()) return;
    shareVideo.hidden = false;
    shareVideo.onclick = async () => {
      shareVideo.disabled = true;
      try {
        const response = await fetch(url);
        const file = new File([await response.blob()], "trunk-show-message.mp4", { type: "video/mp4" });
        await navigator.share({ files: [file], title: shareVideo.dataset.title });
      } catch { /* cancelled, or the sheet failed: the download link remains */ }
      shareVideo.disabled = false;
    };
  };
  // preload="none": the page fetches no playlist or segment until the shopper
  // asks (Lighthouse counted that fetch as blocking time on a phone). Chromium's
  // own controls then ignore a tap on the picture (nothing is loaded to play),
  // so a tap that left the video paused starts it; the tap's user activation
  // still holds a task later, and a tap the controls did act on is left alone.
  video.addEventListener("click", () => {
    setTimeout(() => {
      if (video.paused && video.readyState === HTMLMediaElement.HAVE_NOTHING && video.currentSrc) {
        video.play().catch(() => { /* the controls' own play button remains */ });
      }
    }, 0);
  });
  const native = !!video.canPlayType("application/vnd.apple.mpegurl");
  const ready = (body) => {
    if (body.poster_url) video.poster = body.poster_url;
    if (!video.src) video.src = native ? body.hls_url : body.mp4_url;
    if (!video.querySelector("track")) {
      const labels = { "zh-Hans": "中文", en: "English" };
      Object.entries(body.subtitles || {}).forEach(([lang, src], index) => {
        const track = document.createElement("track");
        Object.assign(track, { kind: "subtitles", src, srclang: lang, label: labels[lang] || lang, default: index === 0 });
        video.append(track);
      });
    }
    download.href = body.mp4_url;
    download.hidden = false;
    offerShare(body.mp4_url);
    status.hidden = true;
  };
  if (native && video.dataset.hls) {
    video.src = video.dataset.hls;
    status.hidden = true;
  }
  if (video.dataset.mp4) {
    ready({ hls_url: video.dataset.hls, mp4_url: video.dataset.mp4 });
  } else {
    let tries = 0;
    const poll = async () => {
      tries += 1;
      try {
        const response = await fetch(section.dataset.api, { headers: { Accept: "application/json" } });
        const body = await response.json();
        if (body.status === "ready") return ready(body);
        if (body.status === "failed" || body.status === "expired") {
          status.textContent = status.dataset.failed;
          status.hidden = false;
          return undefined;
        }
      } catch { /* a network blip: ask again */ }
      if (tries < 120) setTimeout(poll, tries < 10 ? 500 : 1500);
      return undefined;
    };
    poll();
  }
}
