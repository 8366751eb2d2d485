// Small progressive enhancements; every page works without this file.

// The region form applies as soon as a choice changes; the Apply button
// stays for keyboards and for browsers without modules.
for (const form of document.querySelectorAll("form[data-autosubmit]")) {
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
}

// Checkout: the total follows the delivery method chosen (the server wrote each
// method's amounts on its radio); without this the "Update total" button asks
// the server. A page that comes back with errors focuses its first bad field by
// itself (autofocus), so nothing is needed here for that.
for (const form of document.querySelectorAll("form[data-checkout]")) {
  const update = form.querySelector("[data-update-total]");
  if (update) update.hidden = true;
  const show = (radio) => {
    for (const [key, target] of [["shipping", "[data-shipping-amount]"], ["tax", "[data-tax-amount].price"], ["total", "[data-total] strong"]]) {
      const el = form.querySelector(target);
      if (el && radio.dataset[key]) el.textContent = radio.dataset[key];
    }
  };
  for (const radio of form.querySelectorAll("input[name=shipping_method]")) {
    radio.addEventListener("change", () => show(radio));
  }
}
