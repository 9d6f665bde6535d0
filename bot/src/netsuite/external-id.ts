// The id is part of the domain (core decides it before any save); NetSuite code reads it from there.
export { externalIdFor } from '../core/external-id.js';
