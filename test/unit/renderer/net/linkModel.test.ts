import { describe, expect, it } from 'vitest';
import type { EmulatedLink } from '../../../../shared/net/link';
import { delayedNote, LinkModel } from '../../../../renderer/net/linkModel';

function model(protocol: 'UDP' | 'TCP' = 'UDP') {
  const sent: Array<EmulatedLink | null> = [];
  const link = new LinkModel(protocol, (value) => {
    sent.push(value);
    return Promise.resolve();
  });
  return { link, sent };
}

describe('LinkModel', () => {
  it('empty fields mean no link', () => {
    const { link } = model();
    expect(link.parse()).toEqual({ ok: true, link: null });
  });

  it('reads the typed fields into a link', () => {
    const { link } = model();
    link.setField('delay', '50');
    link.setField('loss', '30');
    link.setField('bandwidth', '1048576');
    const parsed = link.parse();
    expect(parsed).toMatchObject({
      ok: true,
      link: { delayMs: 50, lossPercent: 30, bandwidthBytesPerSecond: 1048576 },
    });
  });

  it("shows the contract's messages beside each field", () => {
    const { link } = model();
    link.setField('delay', '-5');
    link.setField('loss', '120');
    link.setField('bandwidth', '0');
    link.setField('jitter', 'lots');
    expect(link.parse()).toEqual({ ok: false });
    expect(link.state.errors.jitter?.message).toMatch(/“lots” is not a number/);
    link.setField('jitter', '');
    expect(link.parse()).toEqual({ ok: false });
    expect(link.state.errors.delay?.message).toBe('The delay cannot be negative.');
    expect(link.state.errors.loss?.message).toBe('The loss can be at most 100 %.');
    expect(link.state.errors.bandwidth?.message).toMatch(/^The bandwidth must be more than 0 bytes\/s/);
  });

  it('TCP ignores loss; applying while running sends the link and updates the badge', async () => {
    const { link, sent } = model('TCP');
    link.setField('delay', '50');
    link.setField('loss', '30');
    expect(await link.apply()).toBe(false);
    link.started(null);
    expect(link.badge()).toBeUndefined();
    expect(await link.apply()).toBe(true);
    expect(sent[0]).toMatchObject({ delayMs: 50, lossPercent: 0 });
    expect(link.badge()).toBe('50 ms each way');
  });

  it('words the delay notes', () => {
    expect(delayedNote(50.2)).toBe('delayed 50 ms (emulated link)');
    expect(delayedNote(0)).toBeUndefined();
  });
});
