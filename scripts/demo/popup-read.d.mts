export interface PopupRead {
  summary: string | null;
  exchanges: number;
  servers: string[];
  rsIds: string[];
  findings: Array<{ severity: string; rule: string; message: string }>;
  highMessages: string[];
  signIns: Array<{ heading: string; result: string; asked: string }>;
}
export declare function readPopupDom(): PopupRead;
export declare function missingFrom(read: PopupRead): string[];
export declare function describePopup(read: PopupRead): string;
