// Every rejected call becomes a dismissible notification; callers get undefined and carry on.
import { errorMessage } from '../bridge/errors';
import { notifyError } from './stores/notifications';

export async function attempt<T>(work: Promise<T>, context?: string): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    const message = errorMessage(error);
    notifyError(context ? `${context}: ${message}` : message);
    return undefined;
  }
}
