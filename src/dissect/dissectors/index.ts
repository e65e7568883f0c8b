// Loading this module registers every dissector in its dispatch tables.
import './common';
import './ethernet';
import './link-other';
import './arp';
import './ipv4';
import './ipv6';
import './icmp';
import './igmp';
import './transport';
import './tunnels';
