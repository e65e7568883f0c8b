// Defaults the command line declares before any analysis code is loaded.

/** Underlay MTU (outer IP packet bytes) the findings assume unless told otherwise. */
export const DEFAULT_MTU = 1500;
