// How each entity kind is drawn: a colour and a Cytoscape node shape, shared
// by the graph, the legend and the kind badges.

export interface KindStyle {
  label: string;
  color: string;
  shape: string;
}

export const KIND_STYLES: Record<string, KindStyle> = {
  PERSON: { label: 'Person', color: '#e8743b', shape: 'ellipse' },
  UNIVERSITY: { label: 'University', color: '#1f77b4', shape: 'round-rectangle' },
  LAB: { label: 'Lab', color: '#2ca02c', shape: 'hexagon' },
  GOVERNMENT_BODY: { label: 'Government body', color: '#c0392b', shape: 'diamond' },
  AGREEMENT: { label: 'Agreement', color: '#8c6d31', shape: 'tag' },
  PROJECT: { label: 'Project', color: '#9467bd', shape: 'pentagon' },
  INSTITUTE: { label: 'Institute', color: '#17becf', shape: 'octagon' },
  COMPANY: { label: 'Company', color: '#e377c2', shape: 'barrel' },
  DEPARTMENT: { label: 'Department', color: '#6baed6', shape: 'rectangle' },
  FACILITY: { label: 'Facility', color: '#7f7f7f', shape: 'concave-hexagon' },
  EVENT: { label: 'Event', color: '#bcbd22', shape: 'star' },
  POLICY: { label: 'Policy', color: '#8c564b', shape: 'rhomboid' },
  PLACE: { label: 'Place', color: '#74a9cf', shape: 'triangle' },
  ORGANIZATION: { label: 'Organization', color: '#637939', shape: 'round-triangle' },
};

export const KINDS = Object.keys(KIND_STYLES);

export function kindStyle(kind: string): KindStyle {
  return KIND_STYLES[kind] ?? { label: kind, color: '#999999', shape: 'ellipse' };
}

/** SVG polygon points (in a 16×16 box) approximating each Cytoscape shape, for the legend. */
export const SHAPE_POINTS: Record<string, string> = {
  hexagon: '4,1 12,1 16,8 12,15 4,15 0,8',
  diamond: '8,0 16,8 8,16 0,8',
  tag: '0,2 11,2 16,8 11,14 0,14',
  pentagon: '8,0 16,6 13,16 3,16 0,6',
  octagon: '5,0 11,0 16,5 16,11 11,16 5,16 0,11 0,5',
  rectangle: '1,2 15,2 15,14 1,14',
  'concave-hexagon': '0,1 16,1 13,8 16,15 0,15 3,8',
  star: '8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6',
  rhomboid: '4,2 16,2 12,14 0,14',
  triangle: '8,0 16,15 0,15',
  'round-triangle': '8,1 15,14 1,14',
};

/** Human form of a relationship type: HOSTS → "hosts", MEMBER_OF → "member of". */
export function relLabel(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}
