// One question per screen, with progress and back. Without this module the
// quiz is one long form that works the same; answers survive a reload.

const form = document.querySelector("form[data-quiz]");
if (form) {
  const steps = [...form.querySelectorAll("fieldset.question")];
  const bar = form.querySelector(".quiz-bar");
  const label = form.querySelector("[data-step-label]");
  const back = form.querySelector("[data-back]");
  const next = form.querySelector("[data-next]");
  const submit = form.querySelector("[data-submit]");
  const storeKey = `trunkshow:quiz:${form.dataset.quiz}`;
  let current = 0;
  let pointerChoice = false;

  const answered = (step) => !step.dataset.question || !!step.querySelector("input[type=radio]:checked");
  const firstOpen = () => {
    const index = steps.findIndex((step) => !answered(step));
    return index === -1 ? steps.length - 1 : index;
  };

  function save() {
    const data = {};
    for (const input of form.querySelectorAll("input[type=radio]:checked")) data[input.name] = input.value;
    try { sessionStorage.setItem(storeKey, JSON.stringify(data)); } catch { /* private mode */ }
  }

  function restore() {
    let data = {};
    try { data = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch { data = {}; }
    for (const [name, value] of Object.entries(data)) {
      const input = [...form.querySelectorAll("input[type=radio]")].find((i) => i.name === name && i.value === value);
      if (input && !form.querySelector(`input[name="${CSS.escape(name)}"]:checked`)) input.checked = true;
    }
  }

  function show(index, { focus = true } = {}) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => {
      step.hidden = i !== current;
      step.classList.toggle("is-current", i === current);
    });
    const total = steps.length;
    bar.setAttribute("aria-valuenow", String(current + 1));
    bar.querySelector("span").style.width = `${((current + 1) / total) * 100}%`;
    label.textContent = current === total - 1
      ? label.dataset.finish
      : label.dataset.template.replace("%(n)s", current + 1).replace("%(total)s", total - 1);
    // The bar counts the last step too; a screen reader says what the text says.
    bar.setAttribute("aria-valuetext", label.textContent);
    back.disabled = current === 0;
    next.hidden = current === total - 1;
    next.disabled = !answered(steps[current]);
    if (focus) steps[current].querySelector("legend").focus({ preventScroll: false });
  }

  form.addEventListener("pointerdown", () => { pointerChoice = true; });
  form.addEventListener("keydown", () => { pointerChoice = false; });
  let advancing = null;
  form.addEventListener("change", (event) => {
    if (event.target.type !== "radio") return;
    save();
    next.disabled = false;
  });
  // A tap moves on by itself, also on the answer already chosen (after Back);
  // keyboard users move on with Next, so arrow keys can still compare.
  form.addEventListener("click", (event) => {
    if (event.target.type !== "radio" || !pointerChoice || advancing) return;
    const from = current;
    advancing = setTimeout(() => {
      advancing = null;
      if (current === from) show(current + 1);
    }, 220);
  });
  back.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  form.addEventListener("submit", (event) => {
    const open = steps.findIndex((step) => !answered(step));
    if (open !== -1) {
      event.preventDefault();
      show(open);
      return;
    }
    try { sessionStorage.removeItem(storeKey); } catch { /* ignore */ }
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    submit.textContent = submit.dataset.busy;
  });

  // The name's limit as the shopper types: "12/40" on screen; a screen reader
  // hears the count politely once typing pauses, and at once at the limit.
  const name = form.querySelector("[data-name-input]");
  const count = form.querySelector("[data-name-count]");
  const announce = form.querySelector("[data-name-announce]");
  if (name && count && announce) {
    const limit = Number(name.maxLength);
    let quiet = null;
    name.addEventListener("input", () => {
      const used = name.value.length;
      count.textContent = `${used}/${limit}`;
      count.classList.toggle("is-full", used >= limit);
      clearTimeout(quiet);
      const say = () => {
        announce.textContent = announce.dataset.template
          .replace("%(count)s", used).replace("%(limit)s", limit);
      };
      if (used >= limit) say(); else quiet = setTimeout(say, 700);
    });
  }

  // The server drew the first step already (no layout shift); this only
  // restores answers kept from a reload and moves on to the first open one.
  restore();
  form.classList.add("is-stepped");
  const hasErrors = !!form.querySelector(".has-error");
  show(firstOpen(), { focus: hasErrors });
}
