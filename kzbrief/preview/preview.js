// Shared by the preview's pages: follow the server's events, fetch its state on each one.
const preview = {
  watch(show) {
    const status = document.getElementById("status"), errors = document.getElementById("errors");
    let newest = -1;
    const refresh = async () => {
      const state = await (await fetch("/api/state", {cache: "no-store"})).json();
      // Two events in quick succession send two requests, and their answers may come back
      // in either order: never let an older state replace a newer one on the page.
      if (state.version < newest) return;
      newest = state.version;
      status.textContent = state.building ? "Building\u2026"
        : state.errors.length ? "Build failed: the last good pages are shown"
        : "Up to date (build " + state.version + ")";
      errors.textContent = state.errors.join("\n");
      document.body.dataset.version = state.version;
      document.body.dataset.building = state.building;
      show(state);
    };
    const events = new EventSource("/events");
    events.onmessage = refresh;
    refresh();
  },
};
