// Defaults the command line declares before any analysis code is loaded.

/** Underlay MTU (outer IP packet bytes) the findings assume unless told otherwise. */
export const DEFAULT_MTU = 1500;

/** FDB ageing time in seconds: the Linux bridge's default (`ip link ... ageing_time`, 300 s). */
export const DEFAULT_AGEING_SECONDS = 300;
