/** Scale-to-zero schedule: cron checks, time zone, and the running hours per week it implies. */
import { scheduleSpec } from '../../lib/deploy/schedule';

describe('scheduleSpec', () => {
  test('weekday office hours: stop 20:00 Mon–Fri, start 07:00 Mon–Fri → 13 h × 5 days = 65 h per week', () => {
    const { spec, issues } = scheduleSpec({ stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(issues).toEqual([]);
    expect(spec?.actions).toEqual([
      { id: 'ScaleToZero', cron: '0 20 * * 1-5', timeZone: 'Europe/Berlin', size: 0 },
      { id: 'ScaleUp', cron: '0 7 * * 1-5', timeZone: 'Europe/Berlin', size: 'planned' },
    ]);
    expect(spec?.runningHoursPerWeek).toBe(65);
  });

  test('nights off every day: stop 22:30, start 06:00 → 16.5 h × 7 = 115.5 h; UTC by default', () => {
    const { spec } = scheduleSpec({ stopCron: '30 22 * * *', startCron: '0 6 * * *' });
    expect(spec?.actions[0].timeZone).toBe('Etc/UTC');
    expect(spec?.runningHoursPerWeek).toBe(115.5);
  });

  test('weekends off: stop Friday 18:00, start Monday 06:00 → 168 − 60 = 108 h; day of week 7 is Sunday', () => {
    expect(scheduleSpec({ stopCron: '0 18 * * 5', startCron: '0 6 * * 1' }).spec?.runningHoursPerWeek).toBe(108);
    expect(scheduleSpec({ stopCron: '0 0 * * 7', startCron: '0 0 * * 1' }).spec?.runningHoursPerWeek).toBe(168 - 24);
  });

  test('a day-of-month schedule does not repeat weekly: no hours estimate', () => {
    expect(scheduleSpec({ stopCron: '0 20 1 * *', startCron: '0 7 2 * *' }).spec?.runningHoursPerWeek).toBeUndefined();
  });

  test.each([
    [{ stopCron: '0 20 * *', startCron: '0 7 * * *' }, 'schedule.stopCron', 'has 4 fields'],
    [{ stopCron: '0 24 * * *', startCron: '0 7 * * *' }, 'schedule.stopCron', 'hour "24" is outside 0–23'],
    [{ stopCron: '0 20 * * MON', startCron: '0 7 * * *' }, 'schedule.stopCron', 'day of week "MON" is not a number'],
    [{ stopCron: '0 20 * * *', startCron: '0 20 * * *' }, 'schedule', 'the same expression'],
    [{ stopCron: '0 20 * * *', startCron: '0 7 * * *', timeZone: 'Mars/Olympus' }, 'schedule.timeZone', 'not an IANA time zone'],
  ])('%j is refused at %s', (options, path, message) => {
    const { spec, issues } = scheduleSpec(options);
    expect(spec).toBeUndefined();
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });
});
