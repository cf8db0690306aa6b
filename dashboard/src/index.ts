// The dashboard (issue 7) builds on these: figures formatted once, for the page and the reports.
export * from './format/figures.ts';
