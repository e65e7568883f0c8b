// Fetches a view's data once, and again every REFRESH_MS while a live capture runs (one request at a
// time: the next starts only after the previous answered), plus once more when the capture stops.
import { useEffect, useState } from 'react';

const REFRESH_MS = 1500;

export function useRefreshing<T>(load: () => Promise<T>, key: string, live: boolean, onError: (message: string) => void): T | null {
  const [data, setData] = useState<T | null>(null);
  useEffect(() => {
    setData(null);
  }, [key]);
  useEffect(() => {
    let stale = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load()
        .then((d) => {
          if (stale) return;
          setData(d);
          if (live) timer = setTimeout(run, REFRESH_MS);
        })
        .catch((e: Error) => !stale && onError(e.message));
    };
    run();
    return () => {
      stale = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // Only the session key and liveness restart the polling: the loader is a new closure every render.
  }, [key, live]);
  return data;
}
