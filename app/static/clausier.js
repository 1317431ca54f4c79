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
