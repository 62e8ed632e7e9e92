// The storefront's own script, and all a shopper's phone downloads to run one: everything on
// the storefront works without it (forms post and redirect); with it, the shelf's availability
// follows every sale and delivery while the page is open, and a form pressed twice is sent once.
// It is named by its content (scripts/assets.mjs) and kept by browsers for a year.

// Availability on the shelf. Each product card names its variants and what each had when the
// page was made (`data-variants`, `data-available`); the store's feed says when one changes.
const cards = [...document.querySelectorAll("[data-variants]")];
if (cards.length > 0 && "EventSource" in window) {
  const known = new Map();
  for (const card of cards) {
    const counts = card.dataset.available.split(" ");
    card.dataset.variants.split(" ").forEach((variant, i) => known.set(variant, Number(counts[i]) || 0));
  }
  // The words and colour the server gives the same count (ItemCard in app/src/pages/store.rs).
  const show = (card) => {
    const units = card.dataset.variants.split(" ").reduce((sum, v) => sum + Math.max(0, known.get(v) ?? 0), 0);
    const badge = card.querySelector("[data-testid=availability]");
    if (!badge) return;
    badge.textContent = units === 0 ? "Sold out" : units <= 5 ? `Only ${units} left` : "In stock";
    badge.className = units === 0 ? "text-xs font-medium text-red-700"
      : units <= 5 ? "text-xs font-medium text-amber-700" : "text-xs text-emerald-700";
  };
  const slug = location.pathname.split("/")[2];
  const feed = new EventSource(`/store/${encodeURIComponent(slug)}/live`);
  feed.addEventListener("availability", (event) => {
    let change;
    try {
      change = JSON.parse(event.data);
    } catch {
      return;
    }
    known.set(change.variant, change.available);
    for (const card of cards) if (card.dataset.variants.includes(change.variant)) show(card);
  });
}

// A form on its way is not sent again by a second press; the server would refuse the repeat
// anyway (each form carries a one-time key), but the shopper would wait twice. Should the answer
// never come (the connection dropped), the form can be sent again after ten seconds.
const ready = (form) => {
  delete form.dataset.sending;
  form.removeAttribute("aria-busy");
};
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "true";
  form.setAttribute("aria-busy", "true");
  setTimeout(() => ready(form), 10_000);
});
// Back on a page kept by the browser (the back button), its forms can be sent again.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-sending]")) ready(form);
});

// A list of local government areas, grouped by state, shows only the chosen state's (the
// state's select names the list in `data-narrows`); one of another state is let go.
for (const state of document.querySelectorAll("select[data-narrows]")) {
  const areas = document.getElementById(state.dataset.narrows);
  if (!areas) continue;
  const narrow = () => {
    for (const group of areas.querySelectorAll("optgroup")) group.hidden = group.label !== state.value;
    if (areas.selectedOptions[0]?.parentElement.hidden) areas.value = "";
  };
  state.addEventListener("change", narrow);
  narrow();
}

// The page's script is in place (browser tests and the phone benchmark wait for this).
document.body.dataset.hydrated = "true";
