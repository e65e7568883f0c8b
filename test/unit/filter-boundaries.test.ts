// Display filter behaviour at the edges that the main filter tests do not reach: each case here was written
// for a mutant that survived `npm run mutation -- filter` (a changed operator or constant that no test saw).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter, FilterError, formatFilterErrorCaret } from '../../src/filter';
import { closestName } from '../../src/filter/errors';

function errorOf(filter: string): FilterError {
  try {
    compileFilter(filter);
  } catch (err) {
    assert.ok(err instanceof FilterError, `${filter}: expected a FilterError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${filter}: expected an error`);
}

describe('filter errors: names and carets', () => {
  it('the error is named FilterError', () => {
    assert.equal(errorOf('foo').name, 'FilterError');
  });

  it('a line break in the filter is shown as a space so the carets stay under the text', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'arp\n&& foo', 7, 3)), 'arp && foo\n       ^^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'a\r\nfoo', 3, 3)), 'a  foo\n   ^^^');
  });

  it('a position past the end pads with spaces beyond the text', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'ab', 4, 0)), 'ab\n    ^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'ab', 2, 0)), 'ab\n  ^');
  });

  it('the carets cover the offending text but never run past the end', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 1, 2)), 'abcdef\n ^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 4, 9)), 'abcdef\n    ^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 0, 0)), 'abcdef\n^');
  });
});

describe('filter errors: the closest known name (Damerau-Levenshtein, optimal string alignment)', () => {
  it('an exact match ignoring case', () => {
    assert.equal(closestName('IP.SRC', ['ip.dst', 'ip.src']), 'ip.src');
  });

  it('an adjacent swap counts as one edit', () => {
    // Levenshtein distance 2 would be over the limit of 1 for a three-letter name.
    assert.equal(closestName('tpc', ['tcp', 'arp']), 'tcp');
    assert.equal(closestName('upd', ['udp']), 'udp');
    assert.equal(closestName('ab', ['ba']), 'ba');
    assert.equal(closestName('xtpc', ['xtcp']), 'xtcp');
    assert.equal(closestName('tpcx', ['tcpx']), 'tcpx');
  });

  it('insertions, deletions and substitutions each count as one edit', () => {
    assert.equal(closestName('vxln', ['vxlan']), 'vxlan');
    assert.equal(closestName('vxlaan', ['vxlan']), 'vxlan');
    assert.equal(closestName('vxlen', ['vxlan']), 'vxlan');
    assert.equal(closestName('abcdef', ['abxdey']), 'abxdey');
    assert.equal(closestName('abcdefghi', ['abcXeYghZ']), 'abcXeYghZ');
    assert.equal(closestName('abcdefghi', ['aXcXeXgXi']), undefined); // 4 edits, limit 3
  });

  it('the distance counts every edit, not just the first or last row', () => {
    assert.equal(closestName('abcdef', ['zzzdef', 'abcdez']), 'abcdez');
    assert.equal(closestName('abcdef', ['abcdez', 'zzzdef']), 'abcdez');
    assert.equal(closestName('abcdef', ['abcfed']), 'abcfed');
    assert.equal(closestName('abcdef', ['bacdfe']), 'bacdfe');
    assert.equal(closestName('abcdef', ['badcfe']), undefined); // three swaps, limit 2
    assert.equal(closestName('abcdefgh', ['abcdefhg', 'abcdefgh1']), 'abcdefgh1');
  });

  it('a swap needs the two letters swapped, not merely present', () => {
    assert.equal(closestName('abc', ['acd']), undefined); // two substitutions
    assert.equal(closestName('abcd', ['acbx']), undefined);
    assert.equal(closestName('abcd', ['bcda']), undefined);
    assert.equal(closestName('aab', ['aba']), 'aba');
    assert.equal(closestName('abcdef', ['acbdfe']), 'acbdfe');
  });

  it('of two equally close names the alphabetically first, whatever the order given', () => {
    assert.equal(closestName('ip.sr', ['ip.srb', 'ip.src', 'ip.sra']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.sra', 'ip.src', 'ip.srb']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.src', 'ip.sra']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.sra', 'ip.src']), 'ip.sra');
  });

  it('a closer name wins over an earlier one', () => {
    assert.equal(closestName('abcdef', ['abcxyf', 'abcdxf']), 'abcdxf');
    assert.equal(closestName('abcdef', ['abcdxf', 'abcxyf']), 'abcdxf');
  });

  it('nothing when no name is within a third of the length (at least one edit)', () => {
    assert.equal(closestName('ab', ['xy']), undefined);
    assert.equal(closestName('a', ['b']), 'b');
    assert.equal(closestName('abc', ['abcde']), undefined); // length differs by more than the limit
    assert.equal(closestName('abcdef', ['abcdefgh']), 'abcdefgh');
    assert.equal(closestName('abcdef', ['abcdefghi']), undefined);
    assert.equal(closestName('abc', []), undefined);
  });
});
