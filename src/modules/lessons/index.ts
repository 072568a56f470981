export { LessonService } from './lesson.service.js';
export { lessonRoutes } from './lesson.routes.js';
export type { LessonView } from './lesson.schema.js';
export { listLessons } from './lesson.repository.js';
