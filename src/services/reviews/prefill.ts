import { STATUS_LABELS, UNFINISHED_STATUSES } from '../../domain/activity';
import { AREA_PARTS, areaSectionId, type AreaPart } from '../../domain/review';
import { CARRIED_OVER_STATUSES } from './carry-over';
import type { ReviewActivity, ReviewInputs } from './document';
import { bare, onDay, onDayOf } from './wording';

/**
 * The first draft of the narrative, written from the year's activities and the notes their
 * owners left, so the coordinator edits rather than starts from a blank page.
 */
export function prefillNarrative(inputs: ReviewInputs): Record<string, string> {
  const { year } = inputs;
  const narrative: Record<string, string> = {
    inledning: [
      `Ledningens genomgång är förvaltningsledningens årliga genomgång av ledningssystemet för informationssäkerhet enligt ISO/IEC 27001:2022, avsnitt 9.3. Den avser perioden 1 januari–31 december ${year} och omfattar ${inputs.organisation.name}.`,
      `Genomgången följer upp föregående års åtgärder, redovisar läget inom förvaltningens fokusområden, nyckeltal och incidenter, förändringar i omvärlden och risker, samt föreslår en treårsplan för ${year + 1}–${year + 3}. Förvaltningschefens beslut redovisas sist.`,
    ].join('\n\n'),
  };
  for (const area of inputs.organisation.areas) {
    const ofArea = inputs.activities.filter((a) => a.area === area.id);
    if (ofArea.length === 0) continue;
    // Every part gets a key, blank or not: the key is what makes submission ask for the part.
    for (const part of AREA_PARTS) narrative[areaSectionId(area.id, part)] = areaPart(part, ofArea, year);
  }
  return narrative;
}

function areaPart(part: AreaPart, ofArea: ReviewActivity[], year: number): string {
  const thisYear = ofArea.filter((a) => a.planYear === year);
  switch (part) {
    case 'lage':
      return thisYear
        .map((a) => {
          const note = lastComment(a);
          return `${bare(a.title)} – ${STATUS_LABELS[a.status].toLowerCase()}${a.late ? ', försenad' : ''}.${note ? ` ${note}` : ''}`;
        })
        .join('\n\n');
    case 'utmaningar':
      return thisYear
        .filter((a) => a.late || a.status === 'blocked' || a.status === 'deferred')
        .map((a) => `${bare(a.title)}: ${bare(a.blockedReason ?? a.deferral?.comment ?? (a.late ? `inte klar vid slutdatum ${onDay(a.dueDate)}` : STATUS_LABELS[a.status].toLowerCase()))}.`)
        .join('\n\n');
    case 'forslag': {
      const carried = thisYear.filter((a) => CARRIED_OVER_STATUSES.includes(a.status)).map((a) => `${bare(a.title)} (förs över från ${year}).`);
      const next = ofArea.filter((a) => a.planYear === year + 1).map((a) => `${bare(a.title)}.`);
      return [...carried, ...next].join('\n\n');
    }
    case 'behov':
      return thisYear.filter((a) => UNFINISHED_STATUSES.includes(a.status)).map(needOf).join('\n\n');
  }
}

/** What an unfinished activity still needs: its open tasks, the resources it names, the time asked for. */
function needOf(a: ReviewActivity): string {
  const open = a.tasks.filter((t) => !t.done).length;
  const needs = [a.tasks.length ? `${open} av ${a.tasks.length} ${a.tasks.length === 1 ? 'uppgift' : 'uppgifter'} återstår` : 'arbetet är inte uppdelat i uppgifter'];
  if (a.resources) needs.push(`resurser: ${bare(a.resources)}`);
  const asked = a.extensions.filter((e) => e.status !== 'refused').at(-1);
  if (asked) needs.push(`mer tid till ${onDay(asked.proposedDueDate)} ${asked.status === 'granted' ? 'har beviljats' : 'har begärts'} (”${bare(asked.reason)}”)`);
  return `${bare(a.title)}: ${needs.join('; ')}.`;
}

/** The owner's latest status note, quoted with who wrote it and when. */
function lastComment(a: ReviewActivity): string | undefined {
  const c = [...a.entries].reverse().find((e) => e.kind === 'comment' && e.text);
  return c ? `”${c.text}” (${c.by.name} ${onDayOf(c.at)})` : undefined;
}
