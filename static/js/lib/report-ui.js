// The console's report and exports: build the report (progress while a worker builds it), the
// reports built so far. (The results gallery goes on the stream from the stage: stage-console.js.)
import { el, format, pageData, say } from "./page.js";

export function mountReport(live, doc) {
  const form = doc.getElementById("report-form");
  if (!form) return null;
  const strings = pageData("report-data").strings || {};
  const status = doc.getElementById("report-status");
  const box = doc.getElementById("report-progress-box");
  const bar = doc.getElementById("report-progress");
  const list = doc.getElementById("report-list");
  const empty = doc.getElementById("report-list-empty");
  const build = doc.getElementById("report-build");
  const reports = new Map();

  function label(report) {
    const names = report.names ? strings.with_names : strings.without_names;
    const when = report.created_at ? new Date(report.created_at).toLocaleString(doc.documentElement.lang || undefined) : "";
    return `${report.format.toUpperCase()}, ${names}, ${when}`;
  }

  function render() {
    const items = [...reports.values()].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    list.replaceChildren(
      ...items.map((report) => {
        const li = el("li", { attrs: { "data-report-id": report.id, "data-status": report.status } }, [el("span", { text: label(report) })]);
        if (report.status === "ready" && report.url) {
          li.append(" · ", el("a", { text: strings.download, attrs: { href: report.url, download: report.filename || "" } }));
        } else {
          li.append(" · ", el("span", { text: report.status === "building" ? strings.building : strings.failed_build }));
        }
        return li;
      }),
    );
    empty.hidden = items.length > 0;
  }

  function progress(report, stage) {
    reports.set(report.id, report);
    render();
    if (report.status === "building") {
      box.hidden = false;
      bar.max = report.steps || 1;
      bar.value = report.step || 0;
      bar.setAttribute("aria-valuetext", format(strings.step, { step: report.step, steps: report.steps, stage: strings[stage] || "" }));
      build.disabled = true;
      if (stage) say(status, format(strings.step, { step: report.step, steps: report.steps, stage: strings[stage] || "" }));
      return;
    }
    box.hidden = true;
    build.disabled = false;
    say(status, report.status === "ready" ? strings.done : strings.failed_build, report.status === "ready" ? "ok" : "error");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const format_ = form.querySelector("input[name=report-format]:checked").value;
    const names = doc.getElementById("report-names").checked;
    try {
      const data = await live.call("report:build", { format: format_, names });
      progress(data.report, "reading");
      say(status, strings.started, "ok");
    } catch (err) {
      say(status, format(strings.failed, { message: err.message || err.code }), "error");
    }
  });

  live.on("report:progress", (data) => progress(data.report, data.stage));
  live.onSnapshot(async () => {
    try {
      const data = await live.call("report:list", {});
      reports.clear();
      for (const report of data.reports) reports.set(report.id, report);
      render();
      const running = data.reports.find((r) => r.status === "building");
      if (running) progress(running, "");
    } catch {
      // the list follows with the next progress
    }
  });

  return { reports };
}
