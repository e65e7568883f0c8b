// macTextContains, which searches millions of FDB entries and learning events without making each
// MAC's text, answers as the text would: macFromWords(hi, lo).includes(part).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { macFromWords, macTextContains } from '../../src/overlay/endpoints';

test('a part of a MAC is found where its text has it, across the colons, and nowhere else', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const macs = Array.from({ length: 300 }, () => [Math.floor(random() * 0x10000), Math.floor(random() * 2 ** 32)] as const);
  macs.push([0, 0], [0xffff, 0xffffffff], [0xfa16, 0x3e000102]);
  const parts = ['', 'f', 'fa:16', ':3e:0', '3e:00:01:02', 'fa:16:3e:00:01:02', '0:0', ':', '::', 'g', 'fa:16:3e:00:01:02:0', 'ff:ff:ff:ff:ff:ff'];
  for (const [hi, lo] of macs) {
    const text = macFromWords(hi, lo);
    parts.push(text.slice(3, 11), text.slice(7));
    for (const part of parts) assert.equal(macTextContains(part)(hi, lo), text.includes(part), `${text} / ${part}`);
  }
});
