// Follows a job that has not ended: reads its JSON twin every few seconds, moves the progress
// bar, and reloads the page (which then shows the result or every error) once the job ends.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var status = box.getAttribute("data-status");

  function show(job) {
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
      count.textContent = job.done + " / " + job.total;
    }
    if (job.status !== status) {
      window.location.reload();
      return false;
    }
    return true;
  }

  function poll() {
    fetch(box.getAttribute("data-twin"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (show(job)) window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
