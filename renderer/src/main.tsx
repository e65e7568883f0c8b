import { createRoot } from 'react-dom/client';
import { AllCommunityModule, ModuleRegistry } from 'ag-grid-community';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './App';

ModuleRegistry.registerModules([AllCommunityModule]);
createRoot(document.getElementById('root')!).render(<App />);
