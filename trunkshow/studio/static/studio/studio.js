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
  const post = async (path, body) => {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
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
    const { ok, body } = await post("/api/v1/paint/recipe", { color: input.value, palette: "diy-kit" });
    if (!ok) { line.textContent = t.i18nError; return; }
    line.textContent = "";
    if (body.achievable) {
      line.textContent = `${t.i18nMixable} ${recipeText(body.recipe)}`;
    } else {
      line.append(`${t.i18nUnmixable} ${recipeText(body.recipe)} `);
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
  const layer = root.querySelector("[data-strokes]");
  const brush = root.querySelector("[data-brush-colour]");
  const brushWidth = root.querySelector("[data-brush-width]");
  const strokes = [];
  let drawing = null;
  const at = (event) => {
    const box = svg.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  };
  const render = (stroke, line) => line.setAttribute("points", stroke.points.map((p) => p.join(",")).join(" "));
  svg.addEventListener("pointerdown", (event) => {
    const zone = event.target.dataset && event.target.dataset.zone;
    if (!zone || strokes.length >= 200) return;
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    const width = Number(brushWidth.value);
    drawing = { zone, color: brush.value.toUpperCase(), width, points: [at(event)] };
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    Object.entries({ fill: "none", stroke: brush.value, "stroke-width": width / 640, "stroke-linecap": "round",
      "stroke-linejoin": "round", "clip-path": `url(#clip-${zone})` }).forEach(([k, v]) => line.setAttribute(k, v));
    layer.append(line);
    drawing.line = line;
    render(drawing, line);
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
    drawing = null;
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);
  root.querySelector("[data-undo]").addEventListener("click", () => {
    const last = strokes.pop();
    if (last) last.line.remove();
  });
  brush.addEventListener("change", () => showRecipe(brush));
  brush.addEventListener("input", () => showRecipe(brush));

  const monogram = root.querySelector("[data-monogram-input]");
  monogram.addEventListener("input", () => {
    root.querySelector("[data-monogram]").textContent = monogram.value.toUpperCase().replace(/[^A-Z]/g, "").slice(0, 3);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const zones = {};
    for (const input of root.querySelectorAll("[data-zone-input]")) {
      if (painted.has(input.dataset.zoneInput)) zones[input.dataset.zoneInput] = input.value.toUpperCase();
    }
    const letters = monogram.value.toUpperCase().replace(/[^A-Z]/g, "").slice(0, 3);
    const stencil = root.querySelector("[data-stencil-input]").checked
      ? { x: 0.5, y: 0.55, scale: 1, rotation: 0, color: "#F3F4F2" } : null;
    const save = root.querySelector("[data-save]");
    save.disabled = true;
    try {
      const { ok, body } = await post("/api/v1/designs", {
        template: t.template, mode: mode(), market: t.market, zones, stencil, monogram: letters || null,
        strokes: strokes.map(({ zone, color, width, points }) => ({
          zone, color, width, points: points.map(([x, y]) => [Number(x.toFixed(4)), Number(y.toFixed(4))]),
        })),
      });
      if (!ok) {
        error.textContent = body.message || t.i18nError;
        error.hidden = false;
        return;
      }
      const result = root.querySelector("[data-result]");
      result.querySelector("[data-preview]").src = body.preview_url;
      result.querySelector("[data-price]").textContent = new Intl.NumberFormat(document.documentElement.lang, { style: "currency", currency: body.price.currency }).format(Number(body.price.amount));
      result.querySelector("[data-design-id]").value = body.id;
      result.hidden = false;
      result.scrollIntoView({ behavior: "smooth", block: "start" });
    } catch {
      error.textContent = t.i18nError;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
}
