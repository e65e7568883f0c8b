// LINKTYPE_ values (tcpdump.org/linktypes.html) that Tunnelscope dissects.
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
/** Some BSDs wrote raw IP as DLT_RAW 12 or 14; libpcap maps them to LINKTYPE_RAW. */
export const DLT_RAW_BSD = [12, 14];
