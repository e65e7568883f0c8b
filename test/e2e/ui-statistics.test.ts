// Statistics → Conversations and Endpoints: every conversation the CLI's tenants analysis counts, per
// kind; sorting and searching are done by the service and show in the grid. CAPTURE=path overrides
// the sample (the 1M-packet run: see ui-statistics-1m.test.ts).
import { after, before, describe, test } from 'node:test';
import * as path from 'node:path';
import { SAMPLES } from '../helpers/paths';
import { checkStatisticsAgainstCli, cliConversationCounts } from './statistics-checks';
import { haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;

describe('Statistics view over the samples (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  for (const sample of ['vxlan-three-hosts.pcapng', 'vxlan-vm-migration.pcapng']) {
    test(`${sample}: conversations per kind equal the CLI's; sort and search work`, async () => {
      const file = path.join(SAMPLES, sample);
      await openCapture(ui.page, file);
      await waitForIndexed(ui.page);
      await checkStatisticsAgainstCli(ui.page, cliConversationCounts(file));
    });
  }
});
