module.exports = {
	contents: ['docs/_sidebar.md'], // array of "table of contents" files path
	pathToPublic: 'pdf/readme.pdf', // path where pdf will stored
};
