// The studio: paint the zones, see how to mix each colour from the kit, save.
const root = document.querySelector("[data-studio]");
if (root) {
  const t = root.dataset;
  const form = root.querySelector("[data-studio-form]");
  const error = root.querySelector("[data-studio-error]");
  const mode = () => form.querySelector("input[name=mode]:checked").value;
  const paintNames = { red: t.i18nRed, yellow: t.i18nYellow, blue: t.i18nBlue, white: t.i18nWhite };
  const recipeText = (recipe) => Object.entries(recipe)
    .filter(([, parts]) => parts > 0)
    .map(([paint, parts]) => `${parts} ${parts === 1 ? t.i18nPart : t.i18nParts} ${paintNames[paint] || paint}`)
    .join(" + ");
  // Answers (errors, colour names) come in the page's language.
  const post = async (path, body) => {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...body, locale: t.locale }) });
    return { ok: response.ok, body: await response.json() };
  };

  // Only the zones the shopper paints are sent; the rest stay bare leather.
  const painted = new Set();
  const showRecipe = async (input) => {
    const key = input.dataset.zoneInput || "brush";
    if (key !== "brush" && !painted.has(key)) return;
    const line = root.querySelector(`[data-recipe="${key}"]`);
    if (key !== "brush") root.querySelector(`[data-zone="${key}"]`).setAttribute("fill", input.value);
    if (mode() !== "diy") { line.textContent = ""; return; }
    // The amounts are for every painted part in this colour, as the painting guide gives them.
    let area = 0;
    for (const other of root.querySelectorAll("[data-zone-input]")) {
      if (painted.has(other.dataset.zoneInput) && other.value.toLowerCase() === input.value.toLowerCase()) {
        area += Number(other.dataset.zoneArea) || 0;
      }
    }
    const { ok, body } = await post("/api/v1/paint/recipe", { color: input.value, palette: "diy-kit", ...(area > 0 ? { area_cm2: area } : {}) });
    if (ok && input.value.toUpperCase() !== body.color) return; // a newer colour is on its way
    if (!ok) { line.textContent = t.i18nError; return; }
    line.textContent = "";
    if (body.achievable) {
      line.textContent = `${t.i18nMixable} ${recipeText(body.recipe)}`
        + (body.amounts ? ` · ${t.i18nForBag} ${body.amounts.words}` : "");
    } else {
      line.append(`${t.i18nUnmixable} ${body.mixed_name}: ${recipeText(body.recipe)} `);
      const swatch = document.createElement("span");
      swatch.className = "swatch-dot";
      swatch.style.background = body.mixed;
      const use = document.createElement("button");
      use.type = "button";
      use.className = "button button-quiet";
      use.textContent = t.i18nUse;
      use.addEventListener("click", () => { input.value = body.mixed.toLowerCase(); showRecipe(input); });
      line.append(swatch, " ", use);
    }
  };

  for (const input of root.querySelectorAll("[data-zone-input]")) {
    const paint = () => { painted.add(input.dataset.zoneInput); showRecipe(input); };
    input.addEventListener("input", paint);
    input.addEventListener("change", paint);
  }
  for (const radio of form.querySelectorAll("input[name=mode]")) {
    radio.addEventListener("change", () => {
      root.querySelectorAll("[data-zone-input]").forEach(showRecipe);
      showRecipe(brush);
    });
  }
  // Brush strokes: drawn with a finger or a mouse, kept inside the zone they start in.
  const svg = root.querySelector(".studio-canvas");
  const tool = () => form.querySelector("input[name=tool]:checked").value;
  // Fill mode: a tap on a part (or on its name) paints the whole part in the chosen colour.
  const fillZone = (zone) => {
    const input = root.querySelector(`[data-zone-input="${zone}"]`);
    if (!input) return;
    input.value = brush.value.toLowerCase();
    painted.add(zone);
    showRecipe(input);
  };
  root.querySelectorAll("[data-fill-zone]").forEach((button) => button.addEventListener("click", () => fillZone(button.dataset.fillZone)));
  const layer = root.querySelector("[data-strokes]");
  const brush = root.querySelector("[data-brush-colour]");
  const brushWidth = { get value() { return form.querySelector("input[name=brush-size]:checked").value; } };
  const strokes = [];
  let drawing = null;
  const at = (event) => {
    const box = svg.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  };
  // A sponge dabs speckles: shown here as a dotted line, drawn as speckles in the preview.
  const strokeLine = (stroke) => {
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    const attributes = { fill: "none", stroke: stroke.color, "stroke-width": stroke.width / 640, "stroke-linecap": "round",
      "stroke-linejoin": "round", "clip-path": `url(#clip-${stroke.zone})` };
    if (stroke.tool === "sponge") attributes["stroke-dasharray"] = `${stroke.width / 2400} ${stroke.width / 900}`;
    Object.entries(attributes).forEach(([k, v]) => line.setAttribute(k, v));
    return line;
  };
  const render = (stroke, line) => line.setAttribute("points", stroke.points.map((p) => p.join(",")).join(" "));
  svg.addEventListener("pointerdown", (event) => {
    const zone = event.target.dataset && event.target.dataset.zone;
    if (!zone) return;
    if (tool() === "fill") { event.preventDefault(); fillZone(zone); return; }
    if (strokes.length >= 200) return;
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    const width = Number(brushWidth.value);
    drawing = { zone, color: brush.value.toUpperCase(), width, tool: tool(), points: [at(event)] };
    drawing.line = strokeLine(drawing);
    layer.append(drawing.line);
    render(drawing, drawing.line);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drawing || drawing.points.length >= 500) return;
    const point = at(event);
    const last = drawing.points[drawing.points.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < 0.004) return;
    drawing.points.push(point);
    render(drawing, drawing.line);
  });
  const finish = () => {
    if (!drawing) return;
    strokes.push(drawing);
    undone.length = 0;
    drawing = null;
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);
  const undone = [];
  root.querySelector("[data-undo]").addEventListener("click", () => {
    const last = strokes.pop();
    if (last) { last.line.remove(); undone.push(last); }
  });
  root.querySelector("[data-redo]").addEventListener("click", () => {
    const again = undone.pop();
    if (again) { layer.append(again.line); strokes.push(again); }
  });
  const drawStroke = (stroke) => {
    const line = strokeLine(stroke);
    layer.append(line);
    stroke.line = line;
    render(stroke, line);
    strokes.push(stroke);
  };
  brush.addEventListener("change", () => showRecipe(brush));
  brush.addEventListener("input", () => showRecipe(brush));

  const stencilBox = root.querySelector("[data-stencil-input]");
  const stencilControls = root.querySelector("[data-stencil-controls]");
  const charm = root.querySelector("[data-charm]");
  const stencilValue = () => {
    const get = (name) => root.querySelector(`[data-stencil="${name}"]`).value;
    return { x: Number(get("x")), y: Number(get("y")), scale: Number(get("scale")), rotation: Number(get("rotation")), color: get("color").toUpperCase() };
  };
  // The same flower the preview draws (engines/design/render.py charm_polygon).
  const drawCharm = () => {
    stencilControls.hidden = !stencilBox.checked;
    charm.toggleAttribute("hidden", !stencilBox.checked);
    const s = stencilValue();
    const radius = 0.06 * s.scale;
    const turn = (s.rotation * Math.PI) / 180;
    const points = [];
    for (let step = 0; step < 100; step += 1) {
      const angle = (2 * Math.PI * step) / 100;
      const r = radius * (0.62 + 0.38 * Math.abs(Math.cos(2.5 * angle)));
      points.push(`${(s.x + r * Math.cos(angle + turn)).toFixed(4)},${(s.y + r * Math.sin(angle + turn)).toFixed(4)}`);
    }
    charm.setAttribute("d", `M${points.join("L")}Z`);
    charm.setAttribute("fill", s.color);
  };
  stencilBox.addEventListener("change", drawCharm);
  root.querySelectorAll("[data-stencil]").forEach((input) => input.addEventListener("input", drawCharm));

  // Kit swatches: a tap makes it the chosen colour; a tap on a part then paints it.
  const swatches = root.querySelectorAll("[data-swatch]");
  const markSwatch = () => swatches.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.swatch.toLowerCase() === brush.value.toLowerCase())));
  swatches.forEach((button) => button.addEventListener("click", () => {
    brush.value = button.dataset.swatch.toLowerCase();
    brush.dispatchEvent(new Event("input"));
  }));
  brush.addEventListener("input", markSwatch);

  // The colour of the blank bag: its stock is shown before painting, and what to do when it is out.
  const blankRadios = form.querySelectorAll("input[name=blank]");
  const chosenBlank = () => form.querySelector("input[name=blank]:checked");
  const syncBlank = () => {
    const chosen = chosenBlank();
    root.querySelectorAll("[data-blank-status]").forEach((note) => { note.hidden = !chosen || note.dataset.blankStatus !== chosen.value; });
  };
  blankRadios.forEach((radio) => radio.addEventListener("change", syncBlank));
  root.querySelectorAll("[data-pick-blank]").forEach((button) => button.addEventListener("click", () => {
    const radio = form.querySelector(`input[name=blank][value="${button.dataset.pickBlank}"]`);
    radio.checked = true;
    syncBlank();
    radio.focus();
  }));
  // A design on a blank with none free is kept, with why it cannot go into the bag now.
  const showBlocked = (blank) => {
    const radio = form.querySelector(`input[name=blank][value="${blank}"]`);
    const blocked = Boolean(radio) && radio.dataset.available === "0";
    const note = root.querySelector("[data-result-blocked]");
    note.hidden = !blocked;
    root.querySelector("[data-add-form]").hidden = blocked;
    if (blocked) note.querySelector("[data-blocked-reason]").textContent = root.querySelector(`[data-blank-status="${blank}"] strong`).textContent;
  };
  const syncKit = () => { root.querySelector("[data-kit-swatches]").hidden = mode() !== "diy"; };
  form.querySelectorAll("input[name=mode]").forEach((radio) => radio.addEventListener("change", syncKit));

  const monogram = root.querySelector("[data-monogram-input]");
  monogram.addEventListener("input", () => {
    root.querySelector("[data-monogram]").textContent = monogram.value.toUpperCase().replace(/[^A-Z]/g, "").slice(0, 3);
  });

  // Artisan designs: when the workshop, with its queue today, can ship it.
  const showLeadTime = (body) => {
    const line = root.querySelector("[data-lead-time]");
    line.hidden = body.lead_time_days == null;
    if (body.lead_time_days != null) line.textContent = line.dataset.templateText.replace("{days}", body.lead_time_days);
  };
  // The preview is drawn on the server by a job: while it is "pending" the
  // page says so and asks again each second, then shows the picture.
  let previewPoll = 0;
  const showPreview = (body) => {
    const result = root.querySelector("[data-result]");
    const img = result.querySelector("[data-preview]");
    const pending = result.querySelector("[data-preview-pending]");
    const poll = ++previewPoll;
    if (body.preview_status !== "pending" && body.preview_url) {
      img.src = body.preview_url;
      img.hidden = false;
      pending.hidden = true;
      return;
    }
    img.hidden = true;
    pending.hidden = false;
    let tries = 0;
    const again = async () => {
      if (poll !== previewPoll) return;
      tries += 1;
      try {
        const response = await fetch(`/api/v1/designs/${encodeURIComponent(body.id)}`);
        if (response.ok) {
          const fresh = await response.json();
          if (fresh.preview_status === "ready" && fresh.preview_url && poll === previewPoll) {
            showPreview(fresh);
            return;
          }
        }
      } catch {
        // the next try may get through
      }
      if (tries < 120) window.setTimeout(again, 1000);
    };
    window.setTimeout(again, 500);
  };
  const reopen = async (id) => {
    const response = await fetch(`/api/v1/designs/${encodeURIComponent(id)}?locale=${encodeURIComponent(t.locale)}`);
    if (!response.ok) return;
    const design = await response.json();
    const doc = design.document;
    const radio = form.querySelector(`input[name=mode][value="${doc.mode}"]`);
    if (radio) radio.checked = true;
    syncKit();
    const blank = form.querySelector(`input[name=blank][value="${design.blank}"]`);
    if (blank) { blank.checked = true; syncBlank(); }
    for (const [zone, colour] of Object.entries(doc.zones || {})) {
      const input = root.querySelector(`[data-zone-input="${zone}"]`);
      if (!input) continue;
      input.value = colour.toLowerCase();
      painted.add(zone);
      showRecipe(input);
    }
    (doc.strokes || []).forEach((stroke) => drawStroke({ ...stroke, points: stroke.points.map((p) => [...p]) }));
    if (doc.stencil) {
      stencilBox.checked = true;
      for (const [name, value] of Object.entries(doc.stencil)) {
        const input = root.querySelector(`[data-stencil="${name}"]`);
        if (input) input.value = name === "color" ? String(value).toLowerCase() : value;
      }
    }
    drawCharm();
    if (doc.monogram) {
      monogram.value = doc.monogram;
      root.querySelector("[data-monogram]").textContent = doc.monogram;
    }
    const result = root.querySelector("[data-result]");
    showPreview(design);
    result.querySelector("[data-price]").textContent = new Intl.NumberFormat(document.documentElement.lang, { style: "currency", currency: design.price.currency }).format(Number(design.price.amount));
    result.querySelector("[data-design-id]").value = design.id;
    showLeadTime(design);
    showBlocked(design.blank);
    result.hidden = false;
  };
  const linked = new URLSearchParams(window.location.search).get("design");
  if (linked) reopen(linked);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const zones = {};
    for (const input of root.querySelectorAll("[data-zone-input]")) {
      if (painted.has(input.dataset.zoneInput)) zones[input.dataset.zoneInput] = input.value.toUpperCase();
    }
    const letters = monogram.value.toUpperCase().replace(/[^A-Z]/g, "").slice(0, 3);
    const stencil = stencilBox.checked ? stencilValue() : null;
    const save = root.querySelector("[data-save]");
    save.disabled = true;
    try {
      const { ok, body } = await post("/api/v1/designs", {
        template: t.template, mode: mode(), market: t.market, zones, stencil, monogram: letters || null,
        ...(chosenBlank() ? { blank: chosenBlank().value } : {}),
        strokes: strokes.map(({ zone, color, width, tool, points }) => ({
          zone, color, width, tool, points: points.map(([x, y]) => [Number(x.toFixed(4)), Number(y.toFixed(4))]),
        })),
      });
      if (!ok) {
        error.textContent = body.message || t.i18nError;
        error.hidden = false;
        return;
      }
      const result = root.querySelector("[data-result]");
      showPreview(body);
      result.querySelector("[data-price]").textContent = new Intl.NumberFormat(document.documentElement.lang, { style: "currency", currency: body.price.currency }).format(Number(body.price.amount));
      result.querySelector("[data-design-id]").value = body.id;
      showLeadTime(body);
      showBlocked(body.blank);
      result.hidden = false;
      // The design's own link: reloading or sharing it reopens this design.
      const url = new URL(window.location.href);
      url.searchParams.set("design", body.id);
      window.history.replaceState(null, "", url);
      result.scrollIntoView({ behavior: "smooth", block: "start" });
    } catch {
      error.textContent = t.i18nError;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
}
