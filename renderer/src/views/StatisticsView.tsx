// The Statistics tab: Wireshark's Conversations and Endpoints over the whole capture.
import { StatisticsTable } from './StatisticsTable';

interface Props {
  sessionId: string;
  onFilter(filter: string): void;
  onMessage(text: string): void;
}

export function StatisticsView({ sessionId, onFilter, onMessage }: Props) {
  return (
    <div className="statistics-view" data-testid="statistics-view">
      <section className="panel stats-panel">
        <StatisticsTable sessionId={sessionId} tenant={null} onFilter={onFilter} onMessage={onMessage} />
      </section>
    </div>
  );
}
