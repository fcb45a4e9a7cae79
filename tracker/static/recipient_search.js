"use strict";
// Add recipients: fetch the search results as a person types, and keep everyone ticked (in
// "Ticked so far") across searches, so one Add adds them all. Without this script the same
// forms work as a plain search and a plain post.

function enhanceRecipientSearch(section) {
  const input = section.querySelector("[data-search-input]");
  const searchForm = section.querySelector("[data-search-form]");
  const results = section.querySelector("[data-results]");
  const pickedBlock = section.querySelector("[data-picked-block]");
  const picked = section.querySelector("[data-picked]");
  const query = section.querySelector("[data-pick-query]");
  const count = section.querySelector("[data-pick-count]");
  if (!input || !results || !picked) { return; }
  let timer = null;
  let asked = 0;

  const pickedBoxes = () => Array.from(picked.querySelectorAll('input[name="official"]'));
  const resultBoxes = () => Array.from(results.querySelectorAll('input[name="official"]:not(:disabled)'));
  const refresh = () => {
    pickedBlock.hidden = pickedBoxes().length === 0;
    if (count) { count.textContent = String(pickedBoxes().length); }
  };
  const pick = (box) => {
    if (pickedBoxes().some((other) => other.value === box.value)) { return; }
    const item = document.createElement("li");
    const label = document.createElement("label");
    const copy = document.createElement("input");
    copy.type = "checkbox";
    copy.name = "official";
    copy.value = box.value;
    copy.checked = true;
    label.append(copy, " ", box.dataset.name || "");
    item.append(label);
    picked.append(item);
  };
  const unpick = (value) => {
    pickedBoxes().filter((box) => box.value === value).forEach((box) => box.closest("li").remove());
    resultBoxes().filter((box) => box.value === value).forEach((box) => { box.checked = false; });
  };
  // The ticked list holds the boxes that are sent; the results' own boxes only tick and untick.
  const sendOnlyPicked = () => resultBoxes().forEach((box) => { box.name = ""; box.dataset.pick = "1"; });
  const showTicks = () => {
    const chosen = new Set(pickedBoxes().map((box) => box.value));
    resultBoxes().forEach((box) => { box.checked = chosen.has(box.value); });
  };

  results.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.dataset || !box.dataset.pick) { return; }
    if (box.checked) { pick(box); } else { unpick(box.value); }
    refresh();
  });
  picked.addEventListener("change", (event) => {
    if (!event.target.checked) { unpick(event.target.value); refresh(); }
  });

  const search = () => {
    const text = input.value.trim();
    if (query) { query.value = text; }
    const url = new URL(window.location.href);
    if (text) { url.searchParams.set("q", text); } else { url.searchParams.delete("q"); }
    window.history.replaceState(null, "", url);
    const mine = ++asked;
    fetch(`${section.dataset.recipientSearch}?q=${encodeURIComponent(text)}`, {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Requested-With": "fetch" },
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        if (mine !== asked) { return; }  // a later search answered first, or will
        results.innerHTML = html;
        sendOnlyPicked();
        showTicks();
      })
      .catch(() => {});
  };
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  if (searchForm) {
    searchForm.addEventListener("submit", (event) => { event.preventDefault(); window.clearTimeout(timer); search(); });
  }
  sendOnlyPicked();
  // Boxes ticked before the script ran (a slow page) join the ticked list.
  resultBoxes().filter((box) => box.checked).forEach(pick);
  refresh();
  // Words typed before the script ran (a slow phone) are searched now, not lost.
  const shown = new URL(window.location.href).searchParams.get("q") || "";
  if (input.value.trim() !== shown.trim()) { search(); }
  section.dataset.enhanced = "true";
}

document.querySelectorAll("[data-recipient-search]").forEach(enhanceRecipientSearch);
