// node:test reporter that writes one JSON line per skipped test or suite: {file, name, reason}.
// run-tests.mjs reads it to name what was skipped and why (a skipped suite is missing from node's own count).
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' || event.data.skip === undefined || event.data.skip === false) continue;
    const reason = typeof event.data.skip === 'string' ? event.data.skip : 'no reason given';
    yield JSON.stringify({ file: event.data.file ?? '', name: event.data.name, reason }) + '\n';
  }
}
