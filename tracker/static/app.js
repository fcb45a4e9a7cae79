// Hilltrack's few enhancements. Every page works without them: they hide what does not apply,
// keep counts in view and save clicks. Loaded with `defer` from 'self' (the CSP allows no inline
// script).
"use strict";

// Quick log: show only the details the chosen kind of entry asks for, and start from the
// next likely step of the campaign chosen (until the volunteer picks a kind themselves).
function enhanceQuickLog(form) {
  let kindChosenByHand = false;
  const currentKind = () => {
    const checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : form.dataset.kind || "";
  };
  const showDetails = () => {
    const kind = currentKind();
    form.querySelectorAll("[data-kinds]").forEach((block) => {
      block.hidden = !block.dataset.kinds.split(" ").includes(kind);
    });
  };
  form.querySelectorAll('input[name="kind"]').forEach((input) =>
    input.addEventListener("change", () => { kindChosenByHand = true; showDetails(); }));
  form.querySelectorAll('input[name="recipient_id"]').forEach((input) =>
    input.addEventListener("change", () => {
      const next = form.querySelector(`input[name="kind"][value="${input.dataset.nextKind}"]`);
      if (!kindChosenByHand && next) { next.checked = true; }
      showDetails();
    }));
  showDetails();
}

// Bulk send: a count of the ticked recipients, "tick all" / "tick all not yet sent", and the
// send bar only while something is ticked (it would cover a phone's screen for nothing).
function enhanceBulkSend(form) {
  const boxes = () => Array.from(form.querySelectorAll('input[name="recipient"]'));
  const count = form.querySelector("[data-ticked-count]");
  const buttons = Array.from(form.querySelectorAll('[type="submit"]'));
  const bar = form.querySelector("[data-send-bar]");
  const update = () => {
    const ticked = boxes().filter((box) => box.checked).length;
    if (count) { count.textContent = String(ticked); }
    buttons.forEach((button) => { button.disabled = ticked === 0; });
    if (bar) { bar.hidden = ticked === 0; }
  };
  form.querySelectorAll("[data-tick]").forEach((control) =>
    control.addEventListener("click", () => {
      const which = control.dataset.tick;
      boxes().forEach((box) => {
        box.checked = which === "all" || (which === "not-sent" && box.dataset.status === "not-sent");
      });
      update();
    }));
  form.addEventListener("change", update);
  update();
}

// Add by role: each option shows only its own fields.
function enhanceByRole(form) {
  const selection = form.querySelector('select[name$="selection"]');
  if (!selection) { return; }
  const showFields = () => {
    form.querySelectorAll("[data-for-selection]").forEach((block) => {
      block.hidden = !block.dataset.forSelection.split(" ").includes(selection.value);
    });
  };
  selection.addEventListener("change", showFields);
  showFields();
}

// Phones: a page's secondary sections start folded, so what is used most comes first; one the
// address points into, or holding a field to correct, stays open.
const NARROW = window.matchMedia("(max-width: 640px)");

function hashTarget() {
  return window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
}

function pointedAt(details) {
  const target = hashTarget();
  return Boolean(target && (details.contains(target) || target.contains(details)));
}

function foldOnPhones(details) {
  if (!NARROW.matches || pointedAt(details)) { return; }
  if (details.querySelector('[aria-invalid="true"]')) { return; }
  details.open = false;
}

// A link to a folded section (#signatories) opens it.
window.addEventListener("hashchange", () => {
  document.querySelectorAll("details[data-fold]").forEach((details) => {
    if (pointedAt(details)) { details.open = true; }
  });
});

// Signatories: move a row up or down in the list before saving the order.
function enhanceSignatoryOrder(list) {
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) { return; }
    event.preventDefault();
    const row = button.closest("li");
    const other = button.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    if (button.dataset.move === "up") { list.insertBefore(row, other); } else { list.insertBefore(other, row); }
    list.querySelectorAll("li").forEach((item, index) => {
      const position = item.querySelector('input[name$="position"]');
      if (position) { position.value = String(index + 1); }
    });
    button.focus();
  });
}

// Letters page: while letters are queued or being sent, ask the server where each stands every
// two seconds and show it in place, until none is left (the Refresh link does the same by hand).
const LETTER_POLL_MS = 2000;

function showLetterState(cell, letter) {
  const badge = document.createElement("span");
  badge.className = `badge badge-letter-${letter.state}`;
  badge.textContent = letter.label;
  const parts = [badge];
  if (letter.detail) {
    const detail = document.createElement("small");
    detail.className = letter.problem ? "field-error" : "muted";
    detail.textContent = letter.detail;
    parts.push(document.createElement("br"), detail);
  }
  cell.replaceChildren(...parts);
}

function followLetters(section) {
  const url = section.dataset.letterStatus;
  const progress = section.querySelector("[data-letter-progress]");
  const poll = async () => {
    let answer;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.startsWith("application/json")) { return; }  // signed out: stop
      answer = await response.json();
    } catch (error) {
      setTimeout(poll, LETTER_POLL_MS * 5);  // the server is away for a moment: try again later
      return;
    }
    answer.letters.forEach((letter) => {
      const cell = section.querySelector(`tr[data-recipient="${letter.recipient}"] .letter-state`);
      if (cell && cell.dataset.state !== letter.state) {
        showLetterState(cell, letter);
        cell.dataset.state = letter.state;
      }
    });
    if (progress) { progress.textContent = answer.summary; }
    if (answer.in_flight > 0) { setTimeout(poll, LETTER_POLL_MS); }
  };
  setTimeout(poll, LETTER_POLL_MS);
}

document.querySelectorAll("[data-js-only]").forEach((element) => { element.hidden = false; });
document.querySelectorAll("form.quick-log").forEach(enhanceQuickLog);
document.querySelectorAll("form[data-bulk-send]").forEach(enhanceBulkSend);
document.querySelectorAll("form[data-by-role]").forEach(enhanceByRole);
document.querySelectorAll("ol[data-reorder]").forEach(enhanceSignatoryOrder);
document.querySelectorAll("[data-letter-status]").forEach(followLetters);
document.querySelectorAll("details[data-fold]").forEach(foldOnPhones);
