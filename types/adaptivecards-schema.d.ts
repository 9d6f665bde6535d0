// adaptivecards-templating's typings import 'adaptivecards/src/schema', which resolves to the TypeScript
// sources of the adaptivecards package; our compiler settings reject those sources. This stands in for them.
export type IAdaptiveCard = Record<string, unknown>;
