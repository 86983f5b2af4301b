// The sections of BENCHMARKS.md written by the runs too long for bench/run
// to repeat each time (bench/scale.mjs: one build of a million articles;
// bench/churn.mjs: ten rebuilds of one in a row), each marked with its
// archive's name so that a run replaces its own section and bench/run
// keeps them all (lib/kept-section.mjs).

/** How `script` was run, its `--report FILE` left out (the report names itself). */
export const commandLine = (script) =>
  `node ${script} ${process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--report' && all[i - 1] !== '--report')
    // Quoted as a shell needs, so that the line can be run again.
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`))
    .join(' ')}`.trim();

const int = (n) => Math.round(n).toLocaleString('en-US');
const mb = (bytes) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(1)} MB`);
const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} KB`;
const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const p5 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(3));
const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
const title = (name) => name.replace(/^synthetic-(\d+)m$/, (_, m) => `synthetic ${int(m * 1e6)}`).replace(/^synthetic-(\d+)k$/, (_, k) => `synthetic ${int(k * 1e3)}`);

/** The steps `alike index --verbose` printed, as rows. */
export function buildSteps(stderr) {
  const re = /alike: step (.+?): ([\d.]+) s wall, (?:([\d.]+) s CPU \(([\d.]+) cores\), ([\d.]+) s of it on the main thread|- s CPU), (\S+) MiB resident, (\S+) MiB peak/g;
  return [...(stderr || '').matchAll(re)].map((m) => ({ name: m[1], wall: Number(m[2]), cpu: Number(m[3]), cores: Number(m[4]), main: Number(m[5]), rssMiB: Number(m[6]), peakMiB: Number(m[7]) }));
}

const stampLine = (stamp, command, endLoad) =>
  `Measured ${stamp.date} at ${stamp.commit} by \`${command}\`; load average ${stamp.load.toFixed(1)} at the start and ${endLoad.toFixed(1)} at the end (${stamp.cores} cores: above ${stamp.cores}, other work competed with the run).`;

/** bench/scale.mjs's section: one build, timed under /usr/bin/time. */
export function scaleSection(f, { stamp, command, endLoad }) {
  const b = f.clustersBuild;
  const c = f.clusters;
  const lines = [
    `## ${title(f.name)} built on its own`,
    '',
    `${stampLine(stamp, command, endLoad)} The archive is generated to disk as it is made, built once with \`alike index --layout clusters --verbose\` (every other setting the CLI's default), its files measured (gzip -9, file by file), and P@5 read on articles spread over it: \`alike query\` (the engine path, the browser's code) and the stored lists' top 5 (the list path).`,
    '',
    '| Articles | Build (wall) | CPU (user + system) | Peak RSS | Files | Raw | Gzip | Largest file (raw) | P@5, engine path | P@5, stored lists |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${int(f.articles)} | ${b.seconds.toFixed(1)} s (${(b.seconds / 60).toFixed(1)} min) | ${(b.userSeconds + b.systemSeconds).toFixed(1)} s (${((100 * (b.userSeconds + b.systemSeconds)) / b.seconds).toFixed(0)}% of one core) | ${gib(b.maxRss)} | ${int(c.files)} | ${mb(c.raw)} | ${mb(c.gzip)} | ${kb(c.largest?.raw ?? 0)} | ${p5(f.clustersRelevance?.p5)} (${int(f.clustersRelevance?.queries ?? 0)} queries) | ${p5(f.clustersListRelevance?.p5)} |`,
  ];
  const steps = buildSteps(b.report);
  if (steps.length) {
    lines.push('', 'The build\'s steps, as `--verbose` printed them (CPU over wall: 2.0 is both cores busy the whole step; the peak is the process\'s so far):', '', '| Step | Wall | CPU | Cores | Peak RSS |', '| --- | ---: | ---: | ---: | ---: |');
    for (const s of steps) lines.push(`| ${s.name} | ${s.wall.toFixed(1)} s | ${Number.isNaN(s.cpu) ? '–' : `${s.cpu.toFixed(1)} s`} | ${Number.isNaN(s.cores) ? '–' : s.cores.toFixed(2)} | ${int(s.peakMiB)} MiB |`);
  }
  return lines.join('\n');
}

/** What the CLI said of a build, in a few words: incremental (and what it kept or merged), or full and why. */
export function howBuilt(said) {
  if (/incrementally/.test(said)) {
    const older = /and (\d+) older segments? kept/.exec(said)?.[1];
    // A segment larger than the day's articles is a merge of older ones with them.
    const filed = /a new segment of (\d+) articles/.exec(said)?.[1];
    return `incremental${older != null ? `, ${older} older segment${older === '1' ? '' : 's'} kept` : ''}${filed ? `, a new segment of ${int(Number(filed))}` : ''}`;
  }
  // (A point between digits is a number's, not the sentence's end; the CLI's next line is not the reason.)
  const why = /full build[^:;,.]*(?:[:;,] ((?:(?! alike:)[^;.]|\.(?=\d))*))?/.exec(said);
  return why ? `full${why[1] ? `: ${why[1].trim().slice(0, 120)}` : ''}` : 'full';
}

/** bench/churn.mjs's section: rebuilds in a row, each adding a share more articles. */
export function churnSection(r, { stamp, command, endLoad }) {
  const s = r.series;
  const lines = [
    `## ${title(r.name)}: ${s.steps.length - 1} rebuilds in a row, each adding ${Number((100 * r.share).toPrecision(2))}% more articles${r.recentBits != null ? `, recent lists in ${int(2 ** r.recentBits)} files a set` : ''}`,
    '',
    `${stampLine(stamp, command, endLoad)} The archive is built without its last ${s.steps.length - 1} days (a day: ${int(s.day)} articles), then one day more at a time into the same folder with \`alike index --layout clusters${r.recentBits != null ? ` --recent-bits ${r.recentBits}` : ''}\` (every other setting the CLI's default${r.recentBits != null ? `; \`--recent-bits\`, hidden, for studies: at most ${int(2 ** r.recentBits)} recent-list files a set` : ''}). Rewritten: the files each build added or changed, gzipped file by file (what a deploy uploads and readers' caches fetch again), against the index's own files after that build (what its manifest names); the folder also keeps the files of earlier builds for readers whose cached manifest still names them.`,
    '',
    '| Build | Articles | Wall | How the CLI built it | Files rewritten | Bytes rewritten (gzip) | Of the index\'s bytes | The index\'s files | Files in the folder | Manifest (gzip) | An indexed page\'s list files (requests; gzip, median) | Segments | The engine path\'s files past the engine file (delta files; gzip, median) |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  s.steps.forEach((step, i) => {
    const how = howBuilt(step.said);
    lines.push(`| ${i ? `rebuild ${i}` : 'first build'} | ${int(step.articles)} | ${step.seconds == null ? '–' : `${step.seconds.toFixed(1)} s`} | ${how} | ${int(step.rewritten)} | ${mb(step.rewrittenBytes)} | ${i ? pct(step.rewrittenBytes, step.liveBytes) : '100%'} | ${int(step.liveFiles)} | ${int(step.filesInFolder)} | ${int(step.manifestGzip)} B | ${step.lists ? `${step.lists.requests}; ${kb(step.lists.bytes)}` : '–'} | ${step.segments ?? '–'} | ${step.engine ? `${step.engine.files} (${step.engine.delta}); ${kb(step.engine.bytes)}` : '–'} |`);
  });
  const l = s.last;
  if (l) {
    lines.push('', `After the last rebuild: P@5 ${p5(l.engine)} on the engine path and ${p5(l.lists)} from the stored lists (${int(r.queries)} articles spread over the archive); the last day's articles ${p5(l.engineNew)} and ${p5(l.listsNew)}.`);
  }
  return lines.join('\n');
}
