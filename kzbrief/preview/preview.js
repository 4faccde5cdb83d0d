// Shared by the preview's pages: follow the server's events, fetch its state on each one.
const preview = {
  watch(show) {
    const status = document.getElementById("status"), errors = document.getElementById("errors");
    let newest = -1;
    const stopped = () => {
      // The event stream broke and the state cannot be fetched: the pages shown may be old.
      status.textContent = "The preview server has stopped: these pages are no longer updated";
      document.body.dataset.stopped = "true";
    };
    const refresh = async () => {
      let state;
      try {
        state = await (await fetch("/api/state", {cache: "no-store"})).json();
      } catch {
        return stopped();
      }
      // Two events in quick succession send two requests, and their answers may come back
      // in either order: never let an older state replace a newer one on the page.
      if (state.version < newest) return;
      newest = state.version;
      document.body.dataset.stopped = "false";
      status.textContent = state.building ? "Building\u2026"
        : state.errors.length ? "Build failed: the last good pages are shown"
        : state.over_budget.length ? "Over the page budget: the pages are shown as built"
        : "Up to date (build " + state.version + ")";
      errors.textContent = [...state.errors, ...state.over_budget].join("\n");
      document.body.dataset.version = state.version;
      document.body.dataset.building = state.building;
      show(state);
    };
    const events = new EventSource("/events");
    events.onmessage = refresh;
    events.onerror = refresh;  // reconnecting, or gone for good: the fetch tells which
    refresh();
  },
  // Build the editions in another language: the server answers at once, the events follow.
  async switchLanguage(code) {
    await fetch("/api/language", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({language: code}),
    });
  },
  // One button per language of the edition, the one shown pressed.
  languageButtons(holder, edition) {
    holder.replaceChildren(...edition.languages.map((code) => {
      const button = document.createElement("button");
      button.type = "button"; button.textContent = code; button.lang = code;
      button.setAttribute("aria-pressed", String(code === edition.language));
      button.addEventListener("click", () => preview.switchLanguage(code));
      return button;
    }));
  },
};
