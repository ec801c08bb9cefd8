// printkit's pages work without this file; with it, a job's progress updates in place
// and the certificate preview appears without leaving the form.
"use strict";
(function () {
  const job = document.getElementById("job");
  if (job && (job.dataset.status === "queued" || job.dataset.status === "running")) {
    const bar = document.getElementById("progress");
    const counts = document.getElementById("counts");
    const status = document.getElementById("status");
    const poll = async function () {
      try {
        const answer = await fetch("/api/jobs/" + encodeURIComponent(job.dataset.job), { cache: "no-store" });
        if (answer.ok) {
          const state = await answer.json();
          if (state.status === "done" || state.status === "failed") { window.location.reload(); return; }
          if (state.total) {
            bar.value = Math.floor(100 * state.done / state.total);
            bar.textContent = bar.value + "%";
            counts.textContent = state.done + " / " + state.total;
          }
          status.textContent = state.status === "running" ? "Working…" : "Waiting for a worker…";
        }
      } catch (e) { /* the server may be restarting: try again */ }
      window.setTimeout(poll, 700);
    };
    window.setTimeout(poll, 300);
  }
  const button = document.getElementById("preview-button");
  const form = document.getElementById("certificates-form");
  const target = document.getElementById("live-preview");
  if (button && form && target) {
    button.addEventListener("click", async function (event) {
      event.preventDefault();
      target.textContent = "Making the preview…";
      const data = new FormData(form);
      data.delete("list");
      const answer = await fetch("/api/certificates/preview", { method: "POST", body: data });
      target.textContent = "";
      if (answer.ok) {
        const img = document.createElement("img");
        img.className = "preview";
        img.alt = "Preview of the first certificate";
        img.src = URL.createObjectURL(await answer.blob());
        target.appendChild(img);
      } else {
        const box = document.createElement("div");
        box.className = "error";
        box.setAttribute("role", "alert");
        box.textContent = (await answer.json()).error;
        target.appendChild(box);
      }
    });
  }
})();
