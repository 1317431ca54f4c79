// Progress of background jobs: poll the job's JSON while it runs (no inline script: CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".job[data-job-url]");
    if (!box) { return; }
    var done = ["done", "failed"];
    function poll() {
      if (done.indexOf(box.dataset.status) !== -1) { return; }
      fetch(box.dataset.jobUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          box.dataset.status = data.status;
          box.querySelector(".job-label").textContent = data.label;
          box.querySelector(".job-progress").value = data.progress;
          box.querySelector(".job-message").textContent = data.message;
          if (done.indexOf(data.status) === -1) { window.setTimeout(poll, 1000); }
          else if (box.dataset.nextUrl) { window.location.assign(box.dataset.nextUrl); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  });
})();

// Reading-profile grid: show the result again as soon as a column or the header line changes.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosubmit]");
    if (!form) { return; }
    form.addEventListener("change", function () { form.submit(); });
  });
})();

// Menu: one group open at a time; Escape or a click elsewhere closes it (it works without this too).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var menus = Array.prototype.slice.call(document.querySelectorAll(".site-header details.menu"));
    if (!menus.length) { return; }
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) { return; }
        menus.forEach(function (other) { if (other !== menu) { other.open = false; } });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) { if (menu.open && !menu.contains(event.target)) { menu.open = false; } });
    });
  });
})();

// Busy state: a form that starts a long piece of work (data-busy="Rédaction en cours…") says so at
// once, and a second click cannot send it twice. The button is disabled only after the browser has
// read the form, so its name and value are still sent.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) { return; }
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    var label = form.getAttribute("data-busy");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    form.setAttribute("aria-busy", "true");
    if (button && button.tagName === "BUTTON") {
      button.setAttribute("data-label", button.textContent);
      button.textContent = label;
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
    // The note sits after the form: a live region inside an aria-busy element may go unannounced.
    var note = form.nextElementSibling;
    if (!note || !note.classList.contains("busy-note")) {
      note = document.createElement("p");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      form.insertAdjacentElement("afterend", note);
    }
    note.textContent = label + " Cela peut prendre quelques secondes : la page suivante s'ouvrira d'elle-même.";
  });
  // Back to a page kept in the browser's cache: the form is usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy=true]"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("button.is-busy"), function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
        button.classList.remove("is-busy");
        button.textContent = button.getAttribute("data-label");
      });
      var note = form.nextElementSibling;
      if (note && note.classList.contains("busy-note")) { note.remove(); }
    });
  });
})();

// A table that scrolls sideways on a small screen can be scrolled with the keyboard too (WCAG 2.1.1).
(function () {
  "use strict";
  function markScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll("table.list, main table"), function (table) {
      if (table.scrollWidth > table.clientWidth + 1) { table.setAttribute("tabindex", "0"); }
      else if (table.getAttribute("tabindex") === "0") { table.removeAttribute("tabindex"); }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollers);
  window.addEventListener("resize", markScrollers);
})();

// --- Clause calculator: show the fields of each lot's chosen method only (issue 17, h16-forms) ---
// Without JavaScript every field stays visible; the server reads only the chosen method's fields.
(function () {
  "use strict";
  function showMethodFields(select) {
    var lot = select.closest("fieldset");
    if (!lot) { return; }
    var method = select.value;
    lot.querySelectorAll("[data-methods]").forEach(function (item) {
      item.hidden = item.dataset.methods.split(" ").indexOf(method) === -1;
    });
    lot.querySelectorAll("[data-method-group]").forEach(function (group) {
      var shown = group.querySelector("[data-methods]:not([hidden])");
      group.hidden = !shown;
      if (shown && group.tagName === "DETAILS") { group.open = true; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-method-select]").forEach(function (select) {
      select.addEventListener("change", function () { showMethodFields(select); });
      showMethodFields(select);
    });
  });
})();
// --- end of the clause calculator block ---

// Timesheet preview: find a participant of the structure as one types (issue #22). Without
// JavaScript, « Rechercher » asks the server and the page comes back with the people found listed
// in the line's select; with it, choosing a name in the field's list selects that person there.
(function () {
  "use strict";
  function watch(input, url) {
    var select = document.getElementById(input.dataset.select);
    var list = document.createElement("datalist");
    list.id = input.id + "-found";
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var status = input.parentNode.querySelector("[role=status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "small";
      status.setAttribute("role", "status");
      input.parentNode.appendChild(status);
    }
    var found = {};
    var timer = null;
    function pick() {
      var id = found[input.value];
      if (!id || !select) { return false; }
      var option = Array.prototype.find.call(select.options, function (item) { return item.value === String(id); });
      if (!option) {
        option = document.createElement("option");
        option.value = String(id);
        option.textContent = input.value;
        // Before « Ignorer cette ligne », always the last choice.
        select.insertBefore(option, select.options[select.options.length - 1]);
      }
      select.value = String(id);
      status.textContent = input.value + " : choisi pour cette ligne.";
      return true;
    }
    function search() {
      var text = input.value.trim();
      if (text.length < 2) { return; }
      fetch(url + "?q=" + encodeURIComponent(text),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (people) {
          if (!people || input.value.trim() !== text) { return; }
          found = {};
          list.textContent = "";
          people.forEach(function (person) {
            var option = document.createElement("option");
            option.value = person.label;
            list.appendChild(option);
            found[person.label] = person.id;
          });
          status.textContent = people.length ? people.length + (people.length > 1 ? " personnes" : " personne") +
            " de la structure : choisissez dans la liste du champ." :
            "Aucune personne de la structure ne correspond à « " + text + " ».";
        })
        .catch(function () { /* The « Rechercher » button still works. */ });
    }
    input.addEventListener("input", function () {
      if (pick()) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-participants-url]");
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("input[data-select]"), function (input) {
      watch(input, form.dataset.participantsUrl);
    });
  });
})();
