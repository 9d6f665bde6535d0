/** The job kinds and payloads are the domain's (core/job-kinds.ts); the queue and its handlers read them here. */
export * from '../core/job-kinds.js';
