/** A conversation message's longest text: a question or an answer, not a report (that is a stage report). */
export const MESSAGE_MAX_LENGTH = 4000;
