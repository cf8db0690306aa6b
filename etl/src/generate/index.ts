export {
  generateWorld, WorldExistsError, defaultLoadTuning, type LoadTuning,
  type GenerateHandle, type GenerateOptions, type GenerateProgress, type GenerateSummary,
} from './generate-world.ts';
export {
  planWorld, worldWindow, projectBySlug, organisationBySlug, teamOf, defaultFirstQuarter, defaultQuarters,
  type WorldPlan, type WorldWindow, type WindowOptions, type PlannedPlace, type PlannedOrganisation, type PlannedProject,
  type PlannedFunding, type PlannedCommissionerPlace, type PlannedService,
} from './world-plan.ts';
export { generatePeople, type PersonContacts, type ContactDraft, type NeedSummary, type PeopleOptions } from './people.ts';
export { pathways, type Pathway } from './pathways.ts';
export {
  buildSnapshots, resubmissions,
  type WorldSnapshots, type PlannedSnapshot, type PlannedObservation, type PlannedStory,
} from './snapshots.ts';
export {
  projectSeries, splitTotal, numeratorsAt, comparisonYears, housingChangeQuarter, ashbrookAdmissions,
  type ObservationDraft, type ComparatorDraft,
} from './series.ts';
export { storySpecs, storiesFor, type StorySpec } from './stories.ts';
export { copyContacts, type CopyProgress, type CopyContactsOptions } from './copy-contacts.ts';
export { contactCopyColumns, contactCopyLine, copyTextField } from './copy-text.ts';
export { personRef } from './pseudonyms.ts';
export { randomFor, uuidFor, Random } from './random.ts';
export { quarterPeriods, type Period } from './calendar.ts';
export { needKinds, type NeedKind } from './fictional-world.ts';
