/* Live points for the self-assessment forms: as the officer types, ask the server what the
   leaf's rule gives. The forms work without this script (the server scores on save). */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function wire(form) {
    var out = form.querySelector("[data-points]");
    var problem = form.querySelector("[data-preview-error]");
    if (!out || !problem || !window.fetch) {
      return;
    }
    var update = debounce(function () {
      fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" }
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (result.ok) {
            out.textContent = result.data.display;
            problem.textContent = "";
          } else {
            out.textContent = "—";
            problem.textContent = result.data.error || "";
          }
        })
        .catch(function () {
          /* offline or server error: the save button still works */
        });
    }, 350);
    function onEdit(event) {
      if (event.target.tagName !== "TEXTAREA") {
        update();
      }
    }
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
  }

  document.querySelectorAll("form[data-preview-url]").forEach(wire);
})();
