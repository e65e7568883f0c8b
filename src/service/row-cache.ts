// A bounded map that forgets the least recently used entries (Map keeps insertion order).
export class RowCache<V> {
  private readonly map = new Map<number, V>();

  constructor(private readonly capacity: number) {}

  get(key: number): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: number, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as number);
  }

  clear(): void {
    this.map.clear();
  }
}
