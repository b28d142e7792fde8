// The page without a build step: read the form, ask the server, show what it says.
"use strict";

(function () {
  const form = document.getElementById("answers");
  const spec = JSON.parse(document.getElementById("form-data").textContent);
  const textKeys = Object.keys(spec.templates[spec.frameworks[0]].variables);
  const given = new Set((form.dataset.given || "").split(",").filter(Boolean));
  const givenInput = document.getElementById("given");
  let files = [];
  let openPath = null;
  let timer = null;
  let pending = false;
  let inFlight = null;
  let version = 0;

  function byId(id) { return document.getElementById(id); }

  // Only the answers the user gave count for the recommendation; the rest keep defaults.
  function answers() {
    const out = {};
    for (const el of form.elements) {
      const key = el.name;
      if (!key || key.startsWith("_")) continue;
      if (el.type === "radio") {
        if (el.checked && el.value) out[key] = el.value;
      } else if (key === "project_name") {
        out[key] = el.value;
      } else if (textKeys.includes(key)) {
        if (el.value !== "") out[key] = el.value;
      } else if (given.has(key)) {
        out[key] = el.type === "checkbox" ? (el.checked ? "true" : "false") : el.value;
      }
    }
    return out;
  }

  async function post(url, body, signal) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: signal,
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: "the server sent no answer" }; }
    return { ok: response.ok, status: response.status, data: data };
  }

  function showErrors(errors) {
    for (const el of form.querySelectorAll(".error")) {
      const key = el.id.slice(4);
      el.textContent = errors[key] || "";
      const input = byId("f-" + key);
      if (input) input.setAttribute("aria-invalid", errors[key] ? "true" : "false");
    }
  }

  function capital(word) { return word.charAt(0).toUpperCase() + word.slice(1); }

  function showRecommendation(state) {
    const rec = state.recommendation;
    byId("verdict").textContent = capital(rec.verdict);
    const top = Math.max(rec.scores.django, rec.scores.flask, 1);
    for (const name of Object.keys(rec.scores)) {
      const meter = byId("score-" + name);
      meter.max = top;
      meter.value = rec.scores[name];
      meter.textContent = rec.scores[name];
      meter.nextElementSibling.textContent = rec.scores[name];
    }
    byId("conflict").textContent = rec.conflict || "";
    const list = byId("reasons");
    list.replaceChildren();
    for (const reason of rec.details) {
      const item = document.createElement("li");
      item.className = reason.counted ? "counted" : "uncounted";
      const head = document.createElement("strong");
      head.textContent = capital(reason.framework) + (reason.points ? " +" + reason.points : "");
      item.append(head, " " + reason.text);
      list.append(item);
    }
    byId("framework").textContent = capital(state.framework) +
      (state.overridden ? " (your choice over the recommendation)" : "");
    const other = spec.frameworks.find((name) => name !== state.framework);
    const button = byId("switch");
    button.hidden = false;
    button.dataset.to = other;
    button.textContent = "Use " + capital(other) + " instead";
    for (const key of textKeys) {
      const input = byId("f-" + key);
      if (key !== "project_slug") input.placeholder = spec.templates[state.framework].variables[key].default;
    }
    byId("command").textContent = state.command;
    byId("answers-file").textContent = state.answers_file;
    const link = byId("share-link");
    link.href = state.share;
    link.textContent = new URL(state.share, location.href).href;
    history.replaceState(null, "", state.share);
  }

  function openFile(path) {
    const file = files.find((f) => f.path === path);
    if (!file) return;
    openPath = path;
    byId("file-name").textContent = path;
    byId("file-content").textContent = file.text === null ? "(a binary file, " + file.size + " bytes)" : file.text;
    for (const b of byId("tree").querySelectorAll("button")) {
      b.setAttribute("aria-current", b.dataset.path === path ? "true" : "false");
    }
  }

  function showFiles(preview) {
    files = preview.files;
    const tree = byId("tree");
    tree.replaceChildren();
    for (const file of files) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.path = file.path;
      button.textContent = file.path;
      button.addEventListener("click", () => openFile(file.path));
      item.append(button);
      tree.append(item);
    }
    const notes = preview.notes.length ? " Note: " + preview.notes.join("; ") + "." : "";
    byId("explore-status").textContent =
      files.length + " files in " + preview.slug + "/ (" + capital(preview.framework) + ")." + notes;
    if (openPath && files.some((f) => f.path === openPath)) openFile(openPath);
    else if (files.length) openFile(files.some((f) => f.path === "README.md") ? "README.md" : files[0].path);
  }

  async function update() {
    if (inFlight) inFlight.abort();
    const mine = new AbortController();
    inFlight = mine;
    givenInput.value = Array.from(given).join(",");
    document.body.dataset.state = "busy";
    const body = { answers: answers() };
    try {
      const state = await post("/api/recommend", body, mine.signal);
      if (!state.ok) { showErrors({ _: state.data.error }); return; }
      const errors = state.data.errors;
      const blocked = Object.keys(errors).length > 0;
      if (!given.has("project_name") && !byId("f-project_name").value) delete errors.project_name;
      showErrors(errors);
      showRecommendation(state.data);
      if (blocked) {
        byId("explore-status").textContent = Object.keys(errors).length
          ? "Fix the answers marked above to see the files."
          : "Give the project a name to see its files.";
      } else {
        const preview = await post("/api/preview", body, mine.signal);
        if (preview.ok) showFiles(preview.data);
        else showErrors(preview.data.errors || { _: preview.data.error });
      }
    } catch (error) {
      if (error.name !== "AbortError") showErrors({ _: "the page could not update: " + error.message });
    } finally {
      // "ready" (what tests wait for) only when no newer change is waiting.
      if (inFlight === mine && !pending) {
        version += 1;
        document.body.dataset.version = String(version);
        document.body.dataset.state = "ready";
      }
    }
  }

  function later() {
    clearTimeout(timer);
    pending = true;
    document.body.dataset.state = "busy";
    timer = setTimeout(() => { pending = false; update(); }, 150);
  }

  form.addEventListener("input", (event) => {
    if (event.target.name) given.add(event.target.name);
    later();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name) given.add(event.target.name);
    later();
  });
  form.addEventListener("submit", (event) => {
    givenInput.disabled = false;
    givenInput.value = Array.from(given).join(",");
    if (event.submitter && event.submitter.id === "update") {
      event.preventDefault();
      update();
    }
  });
  byId("update").hidden = true;

  byId("switch").addEventListener("click", (event) => {
    const radio = form.querySelector('input[name="framework"][value="' + event.target.dataset.to + '"]');
    radio.checked = true;
    update();
  });

  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", async () => {
      const source = byId(button.dataset.copy);
      const text = source.href || source.textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(source);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = "Selected: press Ctrl+C";
      }
    });
  }

  const generate = byId("generate");
  if (generate) {
    generate.addEventListener("click", async () => {
      const result = byId("result");
      result.textContent = "Writing the project...";
      const reply = await post(
        "/api/generate", { answers: answers(), _directory: byId("f-_directory").value }, undefined);
      if (!reply.ok) {
        result.textContent = "";
        showErrors(reply.data.errors || { _: reply.data.error });
        return;
      }
      result.replaceChildren();
      const head = document.createElement("p");
      head.textContent = "Wrote " + reply.data.files + " files to " + reply.data.path +
        (reply.data.git ? ". " + reply.data.git : ".");
      const steps = document.createElement("pre");
      steps.textContent = reply.data.next_steps.join("\n");
      result.append(head, "Next steps:", steps);
    });
  }

  givenInput.disabled = false;
  update();
})();
