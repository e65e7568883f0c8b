// Live capture, for the CLI and the UI's service layer.
export { CaptureOptions, RingOptions, checkCaptureOptions, parseRing } from './capture-options';
export { LiveCaptureError, LiveCaptureErrorKind } from './errors';
export { FollowedFile } from './file-follower';
export { listInterfaces, interfaceLine, NetworkInterface, InterfaceAddress } from './interfaces';
export { LiveCapture, LiveCaptureHooks, LiveStats, FramesEvent, StopResult, StopReason, startCapture } from './live-capture';
export { capturePermission, CapturePermission } from './permissions';
export { ProgramStats } from './program-args';
export { chooseCaptureProgram, CaptureProgram, CaptureProgramName, ProgramChoice } from './programs';
export { TenantCounts, TenantTotals } from './tenant-counts';
