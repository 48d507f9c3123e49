import type { ActivityState, Actor, Milestone, PersonRef } from './activity';
import type { Command } from './commands';
import { freshId } from './fresh-id';
import { isCoordinator, mayWork } from './permissions';
import type { RejectionKind } from './changes';

/**
 * The coordinator's edits of an activity's plan (issue 20): its facts, its milestones and the
 * names of its tasks. Kept apart from `decide` so the rulebook of the work itself stays short;
 * `decide` has already refused stale versions and finished activities. Type-only imports: the
 * workflow bundle imports this module and must build no schemas.
 */

type EditCommand = Extract<Command, { type: 'edit-details' | 'add-milestone' | 'rename-task' | 'rename-milestone' }>;
export type EditDecision = { patch: Partial<ActivityState> } | { rejection: { kind: RejectionKind; reason: string } };

const DETAIL_FIELDS = ['title', 'area', 'goal', 'expectedResult', 'priority', 'estimatedCost', 'startDate', 'dueDate'] as const;

export function decideEdit(state: ActivityState, command: EditCommand, actor: Actor, by: PersonRef, now: string): EditDecision {
  switch (command.type) {
    case 'edit-details': {
      if (!isCoordinator(actor)) return refuse('forbidden', 'Bara samordnare kan ändra aktivitetens uppgifter.');
      // Only what differs is a change: a form sent back as it was shown changes nothing.
      const patch: Partial<ActivityState> = {};
      for (const field of DETAIL_FIELDS) {
        const value = command[field];
        if (value !== undefined && value !== state[field]) Object.assign(patch, { [field]: value });
      }
      if (Object.keys(patch).length === 0) return refuse('invalid', 'Inget av fälten skilde sig från det som redan gällde.');
      const start = patch.startDate ?? state.startDate;
      const due = patch.dueDate ?? state.dueDate;
      if (start && start > due) return refuse('invalid', `Startdatumet ${start} ligger efter slutdatumet ${due}.`);
      if (patch.dueDate) patch.deadlineHistory = [...state.deadlineHistory, { from: state.dueDate, to: patch.dueDate, at: now, by }];
      return { patch };
    }

    case 'add-milestone': {
      if (!isCoordinator(actor)) return refuse('forbidden', 'Bara samordnare kan lägga till milstolpar.');
      // The final milestone waits for every other: one added after it was sent in could never be.
      if (state.status === 'awaiting-approval' || state.status === 'done') return refuse('illegal-transition', 'Den sista milstolpen är redan inskickad eller godkänd.');
      const final = state.milestones.find((m) => m.final);
      const milestone: Milestone = {
        id: freshId('milstolpe', state.milestones.map((m) => m.id)),
        title: command.title,
        final: false,
        approvers: [{ role: command.approverRole ?? final?.approvers[0]?.role ?? 'head-of-administration' }],
        status: 'open',
        round: 0,
        decisions: [],
      };
      // Before the final one, which stays last.
      const rest = state.milestones.filter((m) => !m.final);
      return { patch: { milestones: [...rest, milestone, ...state.milestones.filter((m) => m.final)] } };
    }

    case 'rename-task': {
      if (!mayWork(actor, state)) return refuse('forbidden', 'Bara aktivitetsansvarig eller samordnare kan ändra uppgifter.');
      const task = state.tasks.find((t) => t.id === command.taskId);
      if (!task) return refuse('not-found', `Uppgiften ${command.taskId} finns inte.`);
      const locked = lockedMilestone(state, task.milestoneId);
      if (locked) return locked;
      if (task.title === command.title) return refuse('invalid', 'Uppgiften heter redan så.');
      return { patch: { tasks: state.tasks.map((t) => (t.id === task.id ? { ...t, title: command.title } : t)) } };
    }

    case 'rename-milestone': {
      if (!isCoordinator(actor)) return refuse('forbidden', 'Bara samordnare kan byta namn på en milstolpe.');
      const milestone = state.milestones.find((m) => m.id === command.milestoneId);
      if (!milestone) return refuse('not-found', `Milstolpen ${command.milestoneId} finns inte.`);
      const locked = lockedMilestone(state, milestone.id);
      if (locked) return locked;
      if (milestone.title === command.title) return refuse('invalid', 'Milstolpen heter redan så.');
      return { patch: { milestones: state.milestones.map((m) => (m.id === milestone.id ? { ...m, title: command.title } : m)) } };
    }
  }
}

/** What was sent in or approved stays as it was decided on. */
function lockedMilestone(state: ActivityState, milestoneId: string): EditDecision | undefined {
  const m = state.milestones.find((x) => x.id === milestoneId);
  if (m && (m.status === 'submitted' || m.status === 'approved')) {
    return refuse('illegal-transition', `Milstolpen "${m.title}" är ${m.status === 'approved' ? 'godkänd' : 'inskickad'} och kan inte ändras.`);
  }
  return undefined;
}

function refuse(kind: RejectionKind, reason: string): EditDecision {
  return { rejection: { kind, reason } };
}
