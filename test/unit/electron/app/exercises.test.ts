import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exerciseFileLimit } from '../../../../shared/app/contract';
import { exercisesFolder, listExercises } from '../../../../electron/app/exercises';

describe('the exercises folder', () => {
  it('is the one PLAYGROUND_EXERCISES names, else the project’s exercises/', async () => {
    expect(await exercisesFolder({ PLAYGROUND_EXERCISES: '/srv/lab3' })).toBe('/srv/lab3');
    expect(await exercisesFolder({})).toMatch(/exercises$/);
  });

  it('lists only .conv files, by name, and leaves out one too large to send', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pp-exercises-'));
    writeFileSync(join(folder, 'b.conv'), 'conversation tcp "B"\n');
    writeFileSync(join(folder, 'a.conv'), 'conversation udp "A"\n');
    writeFileSync(join(folder, 'notes.txt'), 'not an exercise');
    writeFileSync(join(folder, 'huge.conv'), 'x'.repeat(exerciseFileLimit + 1));
    const listed = await listExercises(folder);
    expect(listed.files.map((file) => file.name)).toEqual(['a.conv', 'b.conv']);
    expect(listed.skipped.map((skip) => skip.name)).toEqual(['huge.conv']);
    expect(await listExercises(null)).toEqual({ folder: null, files: [], skipped: [] });
  });
});
