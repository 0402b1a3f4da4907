/** A module as ordering sees it: its name and the names it must come after. */
export interface OrderNode {
  name: string;
  after: string[];
}

/** The result of ordering: a load order, and the modules that cannot load with why. */
export interface OrderResult {
  order: string[];
  missing: Map<string, string[]>;
  cycles: Map<string, string[]>;
}

/**
 * Orders modules so that each comes after what it depends on (Kahn's algorithm, ties by name so
 * the order is stable). A module with a missing dependency, or in a cycle, or after one of those,
 * is left out with the reason; the rest still load.
 */
export function dependencyOrder(nodes: OrderNode[]): OrderResult {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const missing = new Map<string, string[]>();
  for (const node of nodes) {
    const absent = node.after.filter((dep) => !byName.has(dep));
    if (absent.length > 0) missing.set(node.name, absent);
  }
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    indegree.set(node.name, node.after.filter((d) => byName.has(d)).length);
    for (const dep of node.after) {
      if (!byName.has(dep)) continue;
      const list = dependents.get(dep) ?? [];
      list.push(node.name);
      dependents.set(dep, list);
    }
  }
  const ready = [...indegree]
    .filter(([, d]) => d === 0)
    .map(([n]) => n)
    .sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(name);
    for (const next of dependents.get(name) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) {
        ready.push(next);
        ready.sort();
      }
    }
  }
  const cycles = new Map<string, string[]>();
  const placed = new Set(order);
  for (const node of nodes) {
    if (!placed.has(node.name)) cycles.set(node.name, findCycle(node.name, byName) ?? [node.name]);
  }
  return { order, missing, cycles };
}

function findCycle(start: string, byName: Map<string, OrderNode>): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): string[] | null => {
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name];
    if (seen.has(name)) return null;
    seen.add(name);
    path.push(name);
    for (const dep of byName.get(name)?.after ?? []) {
      if (!byName.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    return null;
  };
  return visit(start);
}
