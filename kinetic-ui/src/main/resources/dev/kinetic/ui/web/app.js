// The Kinetic dashboard. Every page is built here from the JSON views under /api/..., and every value from the
// store goes into the page as text (textContent, text nodes, attribute values), never as markup: a label
// "<script>alert(1)</script>" shows as those characters. The server's Content-Security-Policy refuses inline
// scripts as well, so even a slip here would not run one.
'use strict';

(function () {
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'NOT_FOUND']);
  const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
  const POLL_MILLIS = 2000;
  const MAX_LOG_LINES = 5000;
  const main = document.getElementById('main');

  // ---- building the page -------------------------------------------------------------------------------------

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') e.textContent = String(value);
      else if (key === 'class') e.className = value;
      else if (key.startsWith('on')) e.addEventListener(key.slice(2), value);
      else e.setAttribute(key, String(value));
    }
    append(e, children);
    return e;
  }

  function append(parent, child) {
    if (child === null || child === undefined) return;
    if (Array.isArray(child)) child.forEach((c) => append(parent, c));
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function replace(node, ...children) {
    node.replaceChildren();
    append(node, children);
  }

  function statusBadge(status) {
    const known = /^[A-Z_]+$/.test(status || '') ? status : 'UNKNOWN';
    return el('span', { class: 'status status-' + known, 'data-status': status, text: status });
  }

  function labels(map) {
    return Object.entries(map || {}).map(([k, v]) => el('span', { class: 'label', text: k + '=' + v }));
  }

  function time(iso) {
    if (!iso) return el('span', { class: 'muted', text: '-' });
    return el('time', { datetime: iso, title: iso, text: new Date(iso).toLocaleString() });
  }

  function duration(job) {
    const start = job.startedAt || null;
    if (!start) return '-';
    const end = job.endedAt ? Date.parse(job.endedAt) : Date.now();
    let s = Math.max(0, Math.round((end - Date.parse(start)) / 1000));
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
  }

  function hosts(value) {
    if (Array.isArray(value)) return String(value.length);
    if (value !== null && typeof value === 'object') return JSON.stringify(value);
    return value === null || value === undefined ? '-' : String(value);
  }

  function jobLink(id) {
    return el('a', { href: '/jobs/' + encodeURIComponent(id), class: 'job-link', text: id });
  }

  function batchLink(id) {
    return el('a', { href: '/batches/' + encodeURIComponent(id), class: 'batch-link', text: id });
  }

  function showError(message) {
    const box = document.getElementById('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  function updated() {
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  // ---- talking to the server ---------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options));
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, body && body.error ? body.error : response.status + ' ' + response.statusText);
    }
    return body;
  }

  function post(path) {
    return api(path, { method: 'POST', headers: { Accept: 'application/json', 'X-CSRF-Token': CSRF } });
  }

  /** Runs task now and again every POLL_MILLIS after it finished, until it returns false. */
  function poll(task) {
    const run = async () => {
      let again = true;
      try {
        again = (await task()) !== false;
        showError('');
        updated();
      } catch (e) {
        showError(e.message);
        again = !(e instanceof ApiError && e.status === 404);
      }
      if (again) setTimeout(run, POLL_MILLIS);
    };
    return run();
  }

  // ---- jobs --------------------------------------------------------------------------------------------------

  function jobsPage() {
    const status = el('select', { id: 'filter-status', 'aria-label': 'status' },
      el('option', { value: '', text: 'any status' }), STATUSES.map((s) => el('option', { value: s, text: s })));
    const label = el('input', { id: 'filter-label', placeholder: 'label key=value', 'aria-label': 'label' });
    const text = el('input', { id: 'filter-text', placeholder: 'search id, function, reason', 'aria-label': 'search' });
    const head = el('thead');
    const body = el('tbody');
    const empty = el('p', { id: 'jobs-empty', class: 'muted', hidden: true, text: 'No jobs match.' });
    replace(main, el('h1', { text: 'Jobs' }), el('div', { class: 'filters' }, status, label, text),
      el('table', { id: 'jobs' }, head, body), empty);

    // Filters can come in the URL (/?status=FAILED&label=team=nlp&q=train), so a filtered view can be shared.
    const given = new URLSearchParams(location.search);
    status.value = STATUSES.includes((given.get('status') || '').toUpperCase()) ? given.get('status').toUpperCase() : '';
    label.value = given.get('label') || '';
    text.value = given.get('q') || '';

    let generation = 0;
    let shown = null;
    async function refresh() {
      const mine = ++generation;
      const query = new URLSearchParams();
      if (status.value) query.set('status', status.value);
      if (label.value.trim()) query.append('label', label.value.trim());
      if (text.value.trim()) query.set('q', text.value.trim());
      const jobs = await api('/api/jobs?' + query);
      if (mine !== generation) return; // a newer filter is already being fetched
      const key = JSON.stringify(jobs);
      if (key === shown) {
        // Nothing changed: only the running jobs' durations move. Rebuilding would lose the reader's selection.
        for (const j of jobs) {
          const cell = body.querySelector('tr[data-job-id="' + CSS.escape(j.id) + '"] td.duration');
          if (cell) cell.textContent = duration(j);
        }
        return;
      }
      shown = key;
      const showHosts = jobs.some((j) => j.hosts !== undefined);
      const columns = ['id', 'function', 'status', 'accelerator'].concat(showHosts ? ['hosts'] : [],
        ['labels', 'created', 'duration', 'reason']);
      replace(head, el('tr', {}, columns.map((c) => el('th', { text: c }))));
      replace(body, jobs.map((j) => el('tr', { 'data-job-id': j.id },
        el('td', { class: 'id' }, jobLink(j.id)),
        el('td', { class: 'function', text: j.function }),
        el('td', { class: 'status' }, statusBadge(j.status)),
        el('td', { class: 'accelerator', text: j.accelerator }),
        showHosts ? el('td', { class: 'hosts', text: hosts(j.hosts) }) : null,
        el('td', { class: 'labels' }, labels(j.labels)),
        el('td', { class: 'created' }, time(j.createdAt)),
        el('td', { class: 'duration', text: duration(j) }),
        el('td', { class: 'reason', text: j.reason || '' }))));
      empty.hidden = jobs.length > 0;
    }
    for (const input of [status, label, text]) input.addEventListener('input', () => refresh().catch((e) => showError(e.message)));
    poll(refresh);
  }

  // ---- one job -----------------------------------------------------------------------------------------------

  function jobPage() {
    const id = decodeURIComponent(location.pathname.split('/')[2] || '');
    const path = '/api/jobs/' + encodeURIComponent(id);
    const status = el('span', { id: 'job-status' });
    const cancel = el('button', { id: 'cancel', class: 'danger', disabled: true, text: 'Cancel' });
    const cleanup = el('button', { id: 'cleanup', text: 'Clean up' });
    const showResult = el('button', { id: 'show-result', hidden: true, text: 'Show result' });
    const result = el('pre', { id: 'result', hidden: true });
    const record = el('tbody');
    const failure = el('section', { id: 'failure', hidden: true });
    const logState = el('span', { id: 'log-state', class: 'muted' });
    const log = el('pre', { id: 'log', class: 'log' });
    const outputs = el('tbody');
    const noOutputs = el('p', { id: 'no-outputs', class: 'muted', text: 'No outputs (yet).' });
    replace(main,
      el('h1', {}, el('span', { id: 'job-id', text: id }), ' ', status),
      el('div', { class: 'actions' }, cancel, cleanup, showResult), result, failure,
      el('table', { id: 'record', class: 'record' }, record),
      el('h2', {}, 'Log ', logState), log,
      el('h2', { text: 'Outputs' }), el('table', { id: 'outputs' },
        el('thead', {}, el('tr', {}, el('th', { text: 'path' }), el('th', { text: 'size' }), el('th', { text: 'modified' }))),
        outputs), noOutputs);

    let options = null;
    let streaming = false;
    let logLoaded = false;
    let endSeen = false;
    let lastOutputs = 0;
    let outputsFinal = false;

    function field(name, value) {
      return el('tr', { 'data-field': name }, el('th', { text: name }), el('td', {}, value));
    }

    let shownRecord = null;
    function renderRecord(job) {
      const key = JSON.stringify(job) + (options ? 'o' : '');
      if (key === shownRecord) {
        const cell = record.querySelector('tr[data-field="duration"] td');
        if (cell) cell.textContent = duration(job);
        return;
      }
      shownRecord = key;
      replace(status, statusBadge(job.status));
      const rows = [
        field('function', job.function), field('status', statusBadge(job.status)), field('reason', job.reason || '-'),
        field('accelerator', job.accelerator), field('backend', job.backend),
        job.hosts !== undefined ? field('hosts', hosts(job.hosts)) : null,
        field('labels', labels(job.labels)), field('created', time(job.createdAt)),
        field('started', time(job.startedAt)), field('ended', time(job.endedAt)), field('duration', duration(job)),
        field('exit code', job.exitCode === null ? '-' : job.exitCode)];
      if (options) {
        rows.push(field('defined in', options.functionClass || '-'), field('submitted by', options.submittedBy || '-'),
          field('environment', (options.envNames || []).join(', ') || '-'),
          field('JVM options', (options.jvmArgs || []).join(' ') || '-'), field('retries', options.retries),
          field('output prefix', options.outputPrefix || '-'),
          field('batch', options.groupId ? [batchLink(options.groupId), ' input ' + options.groupIndex] : '-'),
          field('idempotency key', options.idempotencyKey || '-'),
          field('backend settings', Object.entries(options.backendSettings || {}).map(([k, v]) => k + '=' + v).join(', ') || '-'),
          field('classpath', (options.classpath || []).length + ' entries'),
          field('kinetic version', options.kineticVersion || '-'));
      }
      replace(record, rows);
      const ended = TERMINAL.has(job.status);
      cancel.disabled = ended;
      showResult.hidden = job.status !== 'SUCCEEDED';
    }

    function appendLines(lines) {
      for (const line of lines) log.append(el('span', { class: 'line', text: line }));
      while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild.remove();
      log.scrollTop = log.scrollHeight;
    }

    function follow() {
      streaming = true;
      logState.textContent = '(following live)';
      const source = new EventSource(path + '/logs/stream');
      // Each connection sends the log from its start: after a reconnect, start over rather than repeat lines.
      source.addEventListener('open', () => log.replaceChildren());
      source.addEventListener('lines', (event) => appendLines(JSON.parse(event.data)));
      source.addEventListener('end', () => {
        source.close();
        endSeen = true;
        logState.textContent = '(the job has ended)';
        refresh().catch((e) => showError(e.message));
      });
      source.addEventListener('failed', (event) => {
        source.close();
        streaming = false;
        showError('log: ' + JSON.parse(event.data).error);
      });
    }

    async function loadTail() {
      logLoaded = true;
      const tail = await api(path + '/logs?tail=1000');
      log.replaceChildren();
      appendLines(tail.lines);
      logState.textContent = '(the job has ended; its last ' + tail.lines.length + ' lines)';
    }

    async function loadOutputs() {
      lastOutputs = Date.now();
      const view = await api(path + '/outputs');
      replace(outputs, view.outputs.map((f) => el('tr', { 'data-path': f.path },
        el('td', {}, el('a', { href: path + '/outputs/' + f.path.split('/').map(encodeURIComponent).join('/'), download: '', text: f.path })),
        el('td', { text: f.size }), el('td', {}, time(f.lastModified)))));
      noOutputs.hidden = view.outputs.length > 0;
    }

    async function loadFailure() {
      const f = await api(path + '/failure');
      replace(failure, el('h2', { text: 'Failure' }),
        el('p', { id: 'failure-reason' }, f.phase ? el('strong', { text: 'in ' + f.phase + ': ' }) : null, f.reason || ''),
        f.remoteStackTrace ? el('pre', { id: 'stack-trace', text: f.remoteStackTrace }) : null);
      failure.hidden = false;
    }

    let gone = false;
    async function refresh() {
      if (gone) return false;
      const job = await api(path);
      if (options === null) options = await api(path + '/record').catch(() => ({}));
      renderRecord(job);
      const ended = TERMINAL.has(job.status);
      if (!ended && !streaming) follow();
      if (ended && !streaming && !logLoaded) await loadTail();
      if (ended && !outputsFinal) {
        outputsFinal = true;
        await loadOutputs();
      } else if (!ended && Date.now() - lastOutputs > 10000) {
        await loadOutputs();
      }
      if (job.status === 'FAILED' && failure.hidden) await loadFailure();
      // Once ended (and the live log has said so, if one was open), nothing changes but a cleanup: stop polling.
      return !(ended && (!streaming || endSeen));
    }

    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      try {
        await post(path + '/cancel');
        await refresh();
      } catch (e) {
        cancel.disabled = false;
        showError(e.message);
      }
    });
    cleanup.addEventListener('click', async () => {
      if (!window.confirm('Delete job ' + id + "'s backend resource and stored artifacts (record, log, result)? Outputs are kept.")) return;
      try {
        await post(path + '/cleanup');
        gone = true;
        replace(main, el('h1', { text: id }), el('p', { id: 'cleaned-up', text: 'Cleaned up: the job is gone. Its outputs are kept in the store.' }));
      } catch (e) { showError(e.message); }
    });
    showResult.addEventListener('click', async () => {
      try {
        const r = await api(path + '/result');
        result.textContent = r.format === 'needs-classpath'
          ? 'needs the job\'s classpath (' + r.missingClass + ' is not loaded here; read it with `kinetic jobs result ' + id + ' --classpath ...`)'
          : (typeof r.value === 'string' ? r.value : JSON.stringify(r.value, null, 2)) + (r.type ? '   (' + r.type + ')' : '');
        result.hidden = false;
      } catch (e) { showError(e.message); }
    });
    poll(refresh);
  }

  // ---- batches -----------------------------------------------------------------------------------------------

  function progress(batch) {
    const counts = batch.counts || {};
    const ended = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'NOT_FOUND'].reduce((n, s) => n + (counts[s] || 0), 0);
    const bar = el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': batch.size, 'aria-valuenow': ended });
    for (const s of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'NOT_FOUND', 'RUNNING', 'PENDING']) {
      const n = counts[s] || 0;
      if (!n) continue;
      const segment = el('span', { class: 'seg seg-' + s, title: n + ' ' + s });
      segment.style.width = (100 * n / Math.max(1, batch.size)) + '%';
      bar.append(segment);
    }
    const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => n + ' ' + s);
    if (batch.notSubmitted) parts.push(batch.notSubmitted + ' not submitted');
    if (batch.workersAlive) parts.push(batch.workersAlive + (batch.workersAlive === 1 ? ' worker' : ' workers') + ' alive');
    return el('div', { class: 'progress-cell' }, bar,
      el('span', { class: 'progress-text', text: ended + '/' + batch.size + ' ended' + (parts.length ? ' (' + parts.join(', ') + ')' : '') }));
  }

  function batchesPage() {
    const body = el('tbody');
    const empty = el('p', { id: 'batches-empty', class: 'muted', hidden: true, text: 'No batches. Start one from code with Kinetic.remote(f).runAsyncMap(inputs).' });
    replace(main, el('h1', { text: 'Batches' }), el('table', { id: 'batches' },
      el('thead', {}, el('tr', {}, ['id', 'inputs', 'progress'].map((c) => el('th', { text: c })))), body), empty);
    poll(async () => {
      const batches = await api('/api/batches');
      replace(body, batches.map((b) => el('tr', { 'data-batch-id': b.id },
        el('td', {}, batchLink(b.id)), el('td', { text: b.size }), el('td', {}, progress(b)))));
      empty.hidden = batches.length > 0;
    });
  }

  function batchPage() {
    const id = decodeURIComponent(location.pathname.split('/')[2] || '');
    const path = '/api/batches/' + encodeURIComponent(id);
    const bar = el('div', { id: 'batch-progress' });
    const inputs = el('tbody');
    replace(main, el('h1', { text: id }), bar, el('h2', { text: 'Inputs' }), el('table', { id: 'inputs' },
      el('thead', {}, el('tr', {}, ['input', 'job', 'status'].map((c) => el('th', { text: c })))), inputs));
    poll(async () => {
      const batch = await api(path);
      replace(bar, progress(batch));
      const list = await api(path + '/inputs');
      replace(inputs, list.map((i) => el('tr', { 'data-index': i.index },
        el('td', { text: i.index }), el('td', {}, i.jobId ? jobLink(i.jobId) : el('span', { class: 'muted', text: 'not submitted' })),
        el('td', {}, statusBadge(i.status)))));
      return !batch.done;
    });
  }

  const pages = { jobs: jobsPage, job: jobPage, batches: batchesPage, batch: batchPage };
  (pages[document.body.dataset.page] || jobsPage)();
})();
