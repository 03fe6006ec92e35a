// filmkit review page: filters and cue seeking. The page is complete without this script;
// it only shows the filter form, hides what the filters leave out, and seeks the videos.
"use strict";
(() => {
  const form = document.getElementById("filters");
  const cells = Array.from(document.querySelectorAll(".cell"));
  const status = form.querySelector(".filter-status");

  const chosen = (name) => new Set(Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (box) => box.value));

  function apply() {
    const langs = chosen("lang");
    const platforms = chosen("platform");
    const onlyChanged = form.elements.namedItem("changed").checked;
    const onlyFailed = form.elements.namedItem("failed").checked;
    let shown = 0;
    for (const cell of cells) {
      const visible = langs.has(cell.dataset.lang) && platforms.has(cell.dataset.platform)
        && (!onlyChanged || cell.dataset.changed === "true") && (!onlyFailed || cell.dataset.state === "failed");
      cell.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    for (const row of document.querySelectorAll(".platform")) {
      row.hidden = !row.querySelector(".cell:not([hidden])");
    }
    for (const section of document.querySelectorAll(".language")) {
      section.hidden = !langs.has(section.dataset.lang);
    }
    for (const link of document.querySelectorAll("[data-nav-lang]")) {
      link.hidden = !langs.has(link.dataset.navLang);
    }
    for (const version of document.querySelectorAll(".version")) {
      version.hidden = !platforms.has(version.dataset.platform);
    }
    status.textContent = `${shown} of ${cells.length} outputs shown`;
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  apply();

  // A cue's time, a hair later: the frame that starts exactly at the cue is then the one shown.
  const EPSILON = 0.001;

  function seek(video, seconds) {
    const go = () => { video.currentTime = Math.min(seconds + EPSILON, video.duration || seconds); };
    if (video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      go();
    } else {
      video.addEventListener("loadedmetadata", go, { once: true });
    }
  }

  document.addEventListener("click", (event) => {
    const cue = event.target.closest("a.cue");
    if (!cue || event.ctrlKey || event.metaKey || event.shiftKey) {
      return; // a modified click opens the film at that time, as without the script
    }
    event.preventDefault();
    const seconds = parseFloat(cue.dataset.start);
    for (const video of document.querySelectorAll("video")) {
      if (video.dataset.lang === cue.dataset.version) {
        seek(video, seconds);
      }
    }
    for (const current of document.querySelectorAll("a.cue[aria-current]")) {
      current.removeAttribute("aria-current");
    }
    cue.setAttribute("aria-current", "true");
  });
})();
