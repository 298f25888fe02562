// peacetalks site: table filter and sort, timeline filter, passage highlight. No libraries, no requests.
"use strict";

function rowText(row) { return row.textContent.toLowerCase(); }

function setupTableFilter(input) {
  const table = document.getElementById(input.dataset.filterTable);
  const status = document.getElementById(input.dataset.filterTable + "-status");
  const rows = Array.from(table.tBodies[0].rows);
  const apply = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const text = rowText(row);
      row.hidden = !words.every((word) => text.includes(word));
      if (!row.hidden) shown += 1;
    }
    status.textContent = shown + " of " + rows.length + " rows";
  };
  input.addEventListener("input", apply);
  apply();
}

function cellValue(row, column) {
  const text = row.cells[column].textContent.trim();
  const number = Number(text);
  return text !== "" && !Number.isNaN(number) ? number : text.toLowerCase();
}

function setupSort(table) {
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((header, column) => {
    header.querySelector("button").addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = cellValue(a, column), y = cellValue(b, column);
        const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
}

// <select data-filter-groups="CSS selector" data-status="id">: shows only the matching items whose
// data-groups ("a|b") include the chosen value.
function setupGroupFilter(select) {
  const items = Array.from(document.querySelectorAll(select.dataset.filterGroups));
  const status = document.getElementById(select.dataset.status);
  select.addEventListener("change", () => {
    let shown = 0;
    for (const item of items) {
      item.hidden = select.value !== "" && !item.dataset.groups.split("|").includes(select.value);
      if (!item.hidden) shown += 1;
    }
    status.textContent = shown + " of " + items.length + " shown";
  });
}

// On a source text, mark every stretch of the passage named in the address (#q-12) as current.
function markPassage() {
  document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  const match = /^#q-(\d+)$/.exec(window.location.hash);
  if (!match) return;
  document.querySelectorAll("mark[data-passages]").forEach((mark) => {
    if (mark.dataset.passages.split(" ").includes("q" + match[1])) mark.classList.add("current");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-filter-table]").forEach(setupTableFilter);
  document.querySelectorAll("table.sortable").forEach(setupSort);
  document.querySelectorAll("select[data-filter-groups]").forEach(setupGroupFilter);
  if (document.querySelector(".source-text")) {
    markPassage();
    window.addEventListener("hashchange", markPassage);
  }
});
